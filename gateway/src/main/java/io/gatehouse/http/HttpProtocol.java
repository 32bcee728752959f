package io.gatehouse.http;

/** The protocol a client request arrived in; the hop to n8n is always HTTP/1.1. */
public enum HttpProtocol {
  HTTP_1_0, HTTP_1_1, HTTP_2;

  public boolean isHttp2() {
    return this == HTTP_2;
  }
}
