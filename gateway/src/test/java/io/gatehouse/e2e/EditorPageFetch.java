package io.gatehouse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.idp.HeadlessBrowser;
import java.util.Map;

/**
 * A request made by the n8n editor's page itself: {@code fetch} run inside Chromium on the editor's origin, so it
 * carries exactly the cookies the browser holds (Gatehouse's session, n8n's {@code n8n-auth}) and the
 * {@code browser-id} header the editor sends on its own REST calls (n8n binds its session to that id). It is what the
 * editor's code does, without clicking through n8n's UI, whose layout is not what the SSO tests are about.
 */
final class EditorPageFetch {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String SCRIPT = """
      const [method, path, body, done] = arguments;
      const headers = { 'Accept': 'application/json' };
      const browserId = localStorage.getItem('n8n-browserId');
      if (browserId) headers['browser-id'] = browserId;
      if (body !== null) headers['Content-Type'] = 'application/json';
      fetch(path, { method, headers, body: body === null ? undefined : body, credentials: 'same-origin' })
        .then(r => r.text().then(text => done({ status: r.status, body: text })))
        .catch(e => done({ status: -1, body: String(e) }));
      """;

  private EditorPageFetch() {}

  /** What the page's fetch got back ({@code status} -1 when the fetch itself failed, e.g. the network). */
  record Reply(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }

    /** {@code data} of n8n's {@code {"data": ...}} envelope. */
    JsonNode data() throws Exception {
      return json().get("data");
    }
  }

  /** {@code method path} from the current page, with {@code jsonBody} (or none when null). */
  static Reply send(HeadlessBrowser browser, String method, String path, String jsonBody) {
    Object answer = browser.runAsyncScript(SCRIPT, method, path, jsonBody);
    if (!(answer instanceof Map<?, ?> map)) throw new AssertionError("the page's fetch returned " + answer);
    return new Reply(((Number) map.get("status")).intValue(), String.valueOf(map.get("body")));
  }

  static Reply get(HeadlessBrowser browser, String path) {
    return send(browser, "GET", path, null);
  }
}
