// Asking a window to close the way a window manager does when a person clicks its close button:
// a WM_DELETE_WINDOW message. The virtual display runs no window manager, and WebDriver's own
// "close window" only tears down the web view, so scenarios about closing the studio send it here.
import x11 from "x11";

/** Connects to the display the studio runs on ($DISPLAY). */
function connect() {
  return new Promise((resolve, reject) => {
    const client = x11.createClient((error, display) => (error ? reject(error) : resolve(display)));
    client.on("error", reject);
  });
}

/**
 * Sends WM_DELETE_WINDOW to the top-level window whose title contains `titlePart`; throws if
 * there is none. Returns once the display server has handled the message.
 */
export async function askToClose(titlePart) {
  const display = await connect();
  const X = display.client;
  const call = (request, ...args) => new Promise((resolve, reject) => X[request](...args, (error, reply) => (error ? reject(error) : resolve(reply))));
  try {
    const atom = (name) => call("InternAtom", false, name);
    const [protocols, deleteWindow, netWmName, utf8] = [
      await atom("WM_PROTOCOLS"),
      await atom("WM_DELETE_WINDOW"),
      await atom("_NET_WM_NAME"),
      await atom("UTF8_STRING"),
    ];
    const { children } = await call("QueryTree", display.screen[0].root);
    const titles = [];
    for (const wid of children) {
      const { data } = await call("GetProperty", 0, wid, netWmName, utf8, 0, 1024);
      const title = data.toString("utf8");
      if (title) titles.push(title);
      if (!title.includes(titlePart)) continue;
      // Sent to the window itself with an empty mask: it reaches the client that owns it.
      X.SendClientMessage(wid, wid, protocols, 32, [deleteWindow, 0], 0);
      // A reply to a later request means the message before it was handled.
      await call("GetInputFocus");
      return;
    }
    throw new Error(`no window titled with “${titlePart}”; the windows are: ${titles.join(" | ") || "none"}`);
  } finally {
    X.terminate();
  }
}
