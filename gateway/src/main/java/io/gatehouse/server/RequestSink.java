package io.gatehouse.server;

/** Where a decoded request goes: the exchange handler, or, when its head could not be decoded, the invalid-request responder. */
interface RequestSink {
  void request(ClientStream stream, ClientConnection client);

  void invalid(ClientStream stream, ClientConnection client, Throwable cause);
}
