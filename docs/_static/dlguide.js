// Code blocks that scroll sideways must be reachable from the keyboard (WCAG 2.1.1):
// make each one focusable, so arrow keys scroll it once it has focus.
document.addEventListener("DOMContentLoaded", () => {
  for (const pre of document.querySelectorAll("div.highlight pre, .output pre, pre.literal-block")) {
    if (!pre.hasAttribute("tabindex")) {
      pre.setAttribute("tabindex", "0");
    }
  }
});
