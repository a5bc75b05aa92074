// TornadoGists: progressive enhancements. Every page works without this file.
"use strict";

// Show times relative to now, with the exact time on hover.
document.querySelectorAll("time[datetime]").forEach((el) => {
  el.title = new Date(el.getAttribute("datetime")).toLocaleString();
});
