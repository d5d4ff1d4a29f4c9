// A visitor in Debian's Firefox ESR, driven over WebDriver BiDi by puppeteer-core (no
// geckodriver, no browser download): test_it_exit_firefox.py runs this and plays the
// counsellor in Chromium meanwhile.
//
// node visitor.mjs <chat origin> <page to arrive from> <exit page> <tap|shift> <dialog|plain>
//
// It arrives from the neutral page, opens the chat, skips the questions and waits in the
// queue ("queued" on stdout); once a counsellor has taken the chat ("joined"), it opens the
// end-chat dialog if asked, leaves by the quick exit and waits for the exit page ("left").
// The browser stays open, on the exit page, until stdin closes: what the counsellor sees
// then is the exit's doing, not the browser's closing.
import { once } from "node:events";
import puppeteer from "puppeteer-core";

const [origin, before, exitUrl, how, dialog] = process.argv.slice(2);
const WAIT_MS = 30000;

function say(word) { process.stdout.write(word + "\n"); }

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: process.env.FIREFOX || "/usr/bin/firefox-esr",
  headless: true,
  protocol: "webDriverBiDi",
  // No updates, telemetry or first-run pages reaching out while the test runs.
  extraPrefsFirefox: {
    "app.update.enabled": false,
    "browser.shell.checkDefaultBrowser": false,
    "datareporting.policy.dataSubmissionEnabled": false,
    "toolkit.telemetry.enabled": false,
  },
});
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(before);
  await page.goto(origin + "/chat/");
  await page.locator("#go-questions").click();
  await page.locator("#skip").click();
  await page.waitForFunction(() => !document.getElementById("s-queue").hidden);
  say("queued");
  await page.waitForFunction(() => !document.getElementById("s-chat").hidden, { timeout: 60000 });
  say("joined");
  if (dialog === "dialog") {
    await page.locator("#end").click();
    await page.waitForFunction(() => document.getElementById("confirm-end").open);
  }
  const left = page.waitForNavigation({ timeout: WAIT_MS });
  if (how === "tap") {
    await page.locator("a[data-quick-exit]").click();
  } else {
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press("Shift");
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
  }
  await left;
  if (!page.url().startsWith(exitUrl)) { throw new Error("not on the exit page: " + page.url()); }
  say("left");
  process.stdin.resume();
  await once(process.stdin, "end");
} finally {
  await browser.close();
}
