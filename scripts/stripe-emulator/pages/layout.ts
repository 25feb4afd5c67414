/** The test pages' frame: plain HTML and CSS, no scripts, readable on a phone. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const css = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f1ec;color:#1f2933}
main{max-width:34rem;margin:2rem auto;padding:0 1rem}
.card{background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:1.5rem}
.test{background:#fff3cd;color:#664d03;border:1px solid #ffe69c;border-radius:8px;padding:.5rem .75rem;font-size:.9rem;margin-bottom:1rem}
h1{font-size:1.35rem;margin:.25rem 0 1rem}
.muted{color:#52606d;font-size:.9rem}
table{width:100%;border-collapse:collapse;margin:1rem 0}
td{padding:.4rem 0;border-bottom:1px solid #e4e7eb;vertical-align:top}
td.amount{text-align:right;white-space:nowrap}
tr.total td{font-weight:700;border-bottom:none;font-size:1.1rem}
.error{background:#fde8e8;color:#9b1c1c;border:1px solid #f8b4b4;border-radius:8px;padding:.6rem .75rem;margin:1rem 0}
.ok{background:#def7ec;color:#03543f;border:1px solid #84e1bc;border-radius:8px;padding:.6rem .75rem;margin:1rem 0}
.field{border:1px solid #cbd2d9;border-radius:8px;padding:.6rem .75rem;margin:.5rem 0 1rem;font-family:ui-monospace,monospace;background:#f9fafb}
label{display:block;margin-top:1rem}
input.field{display:block;width:100%;font-size:1rem;color:inherit}
details{margin-top:1rem}
.actions{display:flex;flex-direction:column;gap:.6rem;margin-top:1rem}
button{font:inherit;font-weight:600;border:0;border-radius:8px;padding:.75rem 1rem;cursor:pointer;width:100%}
button.primary{background:#3b4cca;color:#fff}
button.secondary{background:#fff;color:#9b1c1c;border:1px solid #f8b4b4}
button:focus-visible,a:focus-visible{outline:3px solid #f0b429;outline-offset:2px}
a{color:#3b4cca}
dl{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:1rem 0}
dt{color:#52606d}dd{margin:0;word-break:break-all}
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${css}</style>
</head>
<body><main>${body}</main></body>
</html>`;
}
