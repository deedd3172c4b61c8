// Makes sure Debian's Chromium is there for the dashboard's browser test (playwright-core drives
// it; Playwright's own browser download is not used). Installs it with apt-get when running as
// root on Debian, otherwise says exactly what to run.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(path)) {
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  if (root && existsSync("/usr/bin/apt-get")) {
    console.error("installing Debian's chromium for the dashboard test (apt-get)…");
    execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } else {
    console.error(
      `The dashboard test needs Chromium at ${path}: run \`sudo apt-get install chromium\` (or set CHROMIUM_PATH).`,
    );
    process.exit(1);
  }
}
