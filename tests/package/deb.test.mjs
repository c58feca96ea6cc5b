// The .deb the build script makes, opened up: its control fields, the program, the desktop entry
// that lets a file manager open scores and bundles with the studio, the MIME types those files
// get, and the icons. The package is built around the debug build (scripts/package.sh --debug),
// which installs the same files as the release one; PACKAGE_DEB=path checks a package already built.
//
//   node --test tests/package/
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

const root = path.resolve(import.meta.dirname, "../..");
const conf = JSON.parse(readFileSync(path.join(root, "tauri.conf.json"), "utf8"));
const TYPES = { "application/x-ensemble-score+toml": "*.score.toml", "application/x-ensemble-score+zip": "*.score.zip" };

let deb;
let tree;

before(() => {
  deb = process.env.PACKAGE_DEB;
  if (!deb) {
    const out = execFileSync("bash", [path.join(root, "scripts/package.sh"), "--debug"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    deb = out.trim().split("\n").at(-1);
  }
  assert.ok(existsSync(deb), `the package exists at ${deb}`);
  tree = mkdtempSync(path.join(os.tmpdir(), "ensemble-deb-"));
  execFileSync("dpkg-deb", ["-x", deb, tree]);
});

after(() => tree && rmSync(tree, { recursive: true, force: true }));

const field = (name) => execFileSync("dpkg-deb", ["-f", deb, name], { encoding: "utf8" }).trim();

/** The keys of a desktop entry's [Desktop Entry] group. */
function desktopEntry(text) {
  const lines = text.split("\n");
  const start = lines.indexOf("[Desktop Entry]");
  assert.notEqual(start, -1, "the desktop file has a [Desktop Entry] group");
  const entry = {};
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("[")) break;
    const cut = line.indexOf("=");
    if (cut > 0 && !line.startsWith("#")) entry[line.slice(0, cut).trim()] = line.slice(cut + 1).trim();
  }
  return entry;
}

/** Width and height from a PNG's header. */
function pngSize(file) {
  const fd = openSync(file, "r");
  const head = Buffer.alloc(24);
  readSync(fd, head, 0, 24, 0);
  closeSync(fd);
  assert.equal(head.subarray(1, 4).toString("latin1"), "PNG", `${file} is a PNG`);
  return [head.readUInt32BE(16), head.readUInt32BE(20)];
}

test("the control fields name the package and the libraries the studio needs", () => {
  assert.equal(field("Package"), "ensemble-studio");
  assert.equal(field("Version"), conf.version, "the package carries the app's version");
  assert.equal(field("Architecture"), "amd64");
  const depends = field("Depends");
  for (const library of ["libwebkit2gtk-4.1-0", "libgtk-3-0"]) assert.ok(depends.includes(library), `Depends names ${library}: ${depends}`);
});

test("the program is installed on the PATH and is an executable for this machine", () => {
  const program = path.join(tree, "usr/bin/ensemble-studio");
  assert.ok(existsSync(program), "usr/bin/ensemble-studio is in the package");
  assert.ok(statSync(program).mode & 0o111, "the program is executable");
  const fd = openSync(program, "r");
  const magic = Buffer.alloc(4);
  readSync(fd, magic, 0, 4, 0);
  closeSync(fd);
  assert.deepEqual([...magic], [0x7f, 0x45, 0x4c, 0x46], "the program is an ELF binary");
});

test("the desktop entry starts the studio with the files opened and claims both file types", () => {
  const dir = path.join(tree, "usr/share/applications");
  const files = readdirSync(dir).filter((f) => f.endsWith(".desktop"));
  assert.equal(files.length, 1, `one desktop entry: ${files}`);
  const entry = desktopEntry(readFileSync(path.join(dir, files[0]), "utf8"));
  assert.equal(entry.Type, "Application");
  assert.equal(entry.Name, conf.productName);
  const [program, ...codes] = entry.Exec.split(/\s+/);
  assert.equal(program, "ensemble-studio", "Exec runs the installed program");
  assert.ok(codes.some((c) => ["%F", "%U", "%f", "%u"].includes(c)), `Exec passes the opened files: ${entry.Exec}`);
  const claimed = entry.MimeType.split(";").filter(Boolean).sort();
  assert.deepEqual(claimed, Object.keys(TYPES).sort(), "MimeType lists the score and the bundle types");
  assert.equal(entry.Icon, "ensemble-studio", "the entry's icon is the installed app icon");
});

test("the MIME types are registered by their double suffix, and the shared MIME database accepts them", () => {
  const xml = path.join(tree, "usr/share/mime/packages/ensemble-studio.xml");
  assert.ok(existsSync(xml), "the MIME definitions are installed where shared-mime-info reads them");
  // The real database compiler, on a copy: it refuses a malformed file, and its glob table says
  // which type a file name gets.
  const db = path.join(tree, "mime-check");
  mkdirSync(path.join(db, "packages"), { recursive: true });
  execFileSync("cp", [xml, path.join(db, "packages/")]);
  execFileSync("update-mime-database", [db], { stdio: ["ignore", "ignore", "pipe"] });
  const globs = readFileSync(path.join(db, "globs2"), "utf8").split("\n");
  for (const [type, glob] of Object.entries(TYPES)) {
    assert.ok(globs.some((line) => line.endsWith(`:${type}:${glob}`)), `${glob} maps to ${type} in the compiled database`);
    const described = readFileSync(path.join(db, `${type}.xml`), "utf8");
    assert.match(described, /<comment>Ensemble score/, `${type} has a description`);
  }
});

test("the app icon and an icon for each file type are installed in the icon theme", () => {
  const hicolor = path.join(tree, "usr/share/icons/hicolor");
  assert.deepEqual(pngSize(path.join(hicolor, "128x128/apps/ensemble-studio.png")), [128, 128], "the 128 px app icon");
  assert.deepEqual(pngSize(path.join(hicolor, "32x32/apps/ensemble-studio.png")), [32, 32], "the 32 px app icon");
  for (const type of Object.keys(TYPES)) {
    const icon = path.join(hicolor, `128x128/mimetypes/${type.replace("/", "-")}.png`);
    assert.deepEqual(pngSize(icon), [128, 128], `the icon of ${type}, named as icon themes look it up`);
  }
});
