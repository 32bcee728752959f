package io.gatehouse.audit.evidence;

/** The report page's stylesheet, inline so the file needs nothing else; prints on A4 as it shows on screen. */
final class HtmlStyle {
  static final String CSS = """
      :root{--ink:#1d2430;--muted:#5b6675;--line:#dde2e8;--bg:#f5f6f8;--ok:#1e6b3c;--bad:#a3221b}
      *{box-sizing:border-box}
      body{margin:0;background:var(--bg);color:var(--ink);
        font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
      main{max-width:1120px;margin:0 auto;padding:24px 28px 64px}
      h1{font-size:26px;margin:0 0 6px}
      h2{font-size:20px;margin:0 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
      h3{font-size:15px;margin:20px 0 6px}
      .meta{margin:2px 0;color:var(--muted)}
      .muted{color:var(--muted)}
      section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:18px 22px;margin:20px 0}
      .verdict{padding:10px 14px;border-radius:6px;font-weight:600;margin:12px 0}
      .verdict.ok{background:#e7f4ea;color:var(--ok);border:1px solid #b9dcc4}
      .verdict.bad{background:#fbe9e7;color:var(--bad);border:1px solid #efb7b0}
      .cards{display:flex;flex-wrap:wrap;gap:10px;list-style:none;padding:0;margin:12px 0}
      .cards li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 16px;min-width:130px;
        color:var(--muted)}
      .cards b{display:block;font-size:22px;color:var(--ink)}
      .notes{background:#fff8e1;border:1px solid #f0dc9a;border-radius:6px;padding:8px 14px;margin:10px 0}
      nav{margin:14px 0 0}
      nav a{margin-right:18px;color:#1a56a6;text-decoration:none;font-weight:600}
      table{border-collapse:collapse;width:100%;margin:6px 0 14px;font-size:13px}
      th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
      th{background:#eef1f5;font-weight:600}
      td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
      .word{white-space:nowrap}
      .mono{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:12px;word-break:break-all}
      dl.rules dt{font-weight:600;margin-top:8px}
      dl.rules dd{margin:2px 0 0 18px}
      svg{display:block;max-width:100%;height:auto;margin:8px 0 14px}
      @media print{body{background:#fff}main{padding:0}section{border:none;padding:0;break-inside:avoid-page}}
      """;

  private HtmlStyle() {}
}
