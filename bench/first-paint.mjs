// Cold start to first paint of the studio, through a tauri-driver already listening on PORT:
// the time from asking for a new session (which starts the program) until the welcome view is in
// the page and two animation frames have passed, so it has been painted. Plain WebDriver over
// HTTP, so it needs no package. Prints one line of JSON: {"ms": N}.
//
//   node bench/first-paint.mjs APP PORT
const [app, port] = process.argv.slice(2);
if (!app || !port) {
  console.error("usage: node bench/first-paint.mjs APP PORT");
  process.exit(2);
}
const base = `http://127.0.0.1:${port}`;

async function call(method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

const painted = `
  const done = arguments[arguments.length - 1];
  const welcome = document.querySelector('[data-testid="welcome"]');
  if (!welcome) return done(false);
  requestAnimationFrame(() => requestAnimationFrame(() => done(true)));
`;

const started = performance.now();
const session = await call("POST", "/session", {
  capabilities: { alwaysMatch: { "tauri:options": { application: app } } },
});
const id = session.sessionId;
try {
  for (;;) {
    if (await call("POST", `/session/${id}/execute/async`, { script: painted, args: [] })) break;
    if (performance.now() - started > 60000) throw new Error("the welcome view was not painted within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  console.log(JSON.stringify({ ms: Math.round(performance.now() - started) }));
} finally {
  await call("DELETE", `/session/${id}`).catch(() => undefined);
}
