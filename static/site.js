// TornadoGists: progressive enhancements. Every page works without this file.
"use strict";

// Show times relative to now, with the exact time on hover (also on comments arriving live).
function showTimes(root) {
  root.querySelectorAll("time[datetime]").forEach((el) => {
    el.title = new Date(el.getAttribute("datetime")).toLocaleString();
  });
}
showTimes(document);

// Long files: the page holds their first lines as elements and the rest in a <noscript>, which a
// browser running this file reads as one string (nothing to lay out on a phone). The rest becomes
// lines when scrolled near, or at once when the address names a line in it (#file-1-L5900).
function growLongFiles() {
  const rests = [...document.querySelectorAll("ol.code > noscript.rest")];
  const grow = (rest) => {
    if (!rest.isConnected) return;
    const lines = document.createElement("template");
    lines.innerHTML = rest.textContent;
    rest.replaceWith(lines.content);
  };
  // A line not on the page yet, in either form of link (#file-2-L5900, #file-big-js-L5900).
  const growWanted = () => {
    const line = location.hash.match(/-L(\d+)(?:-L(\d+))?$/);
    const last = line && Math.max(Number(line[1]), Number(line[2] || 0));
    if (line) rests.filter((rest) => Number(rest.dataset.from) <= last).forEach(grow);
  };
  growWanted();
  window.addEventListener("hashchange", growWanted);   // before the line links' own listener
  const waiting = rests.filter((rest) => rest.isConnected);
  if (!window.IntersectionObserver) return waiting.forEach(grow);
  // Each rest grows when the line before it comes near the screen.
  const restAfter = new Map(waiting.map((rest) => [rest.previousElementSibling, rest]));
  const near = new IntersectionObserver((entries) => entries.forEach((entry) => {
    if (!entry.isIntersecting) return;
    near.unobserve(entry.target);
    grow(restAfter.get(entry.target));
  }), { rootMargin: "2000px 0px" });
  restAfter.forEach((rest, line) => near.observe(line));
}
growLongFiles();

// Dark mode: the theme switch in the footer changes the page at once and keeps the choice in its cookie.
document.querySelectorAll("form[data-theme-switch]").forEach((form) => {
  const show = (theme) => {
    document.documentElement.dataset.theme = theme;
    form.querySelectorAll("button[name=theme]").forEach((b) => b.setAttribute("aria-pressed", String(b.value === theme)));
  };
  form.addEventListener("submit", (event) => {
    if (!event.submitter) return;   // an older browser: the form posts and the page comes back themed
    event.preventDefault();
    show(event.submitter.value);
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      keepalive: true,   // the choice is kept even when the next click leaves the page at once
      headers: { Accept: "application/json" },
      body: new URLSearchParams({ theme: event.submitter.value }),
    }).catch(() => {});
  });
  // A page restored by Back kept the theme it had when it was left.
  window.addEventListener("pageshow", (event) => {
    const chosen = document.cookie.match(/(?:^|; )theme=(light|dark)(?:;|$)/);
    if (event.persisted) show(chosen ? chosen[1] : "auto");
  });
});

// Discovery: love without reloading the page; tag suggestions while typing.
document.querySelectorAll("form[data-love]").forEach((form) => {
  const button = form.querySelector("button");
  const status = document.createElement("span");
  status.className = "love-status";
  status.setAttribute("role", "status");
  form.append(status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    status.textContent = "";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "X-XSRFToken": form.querySelector("input[name=_xsrf]").value,
        },
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      button.classList.toggle("loved", data.loved);
      button.setAttribute("aria-pressed", String(data.loved));
      button.querySelector(".love-label").textContent = data.loved ? "Loved" : "Love";
      button.querySelector(".love-count").textContent = data.loves;
    } catch (error) {
      status.textContent = error.message || "That did not work; please try again.";
    } finally {
      button.disabled = false;
    }
  });
});

document.querySelectorAll("input[data-tag-suggest]").forEach((input) => {
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  let timer;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      // Complete the tag being typed (after the last comma), keeping the ones before it.
      const done = input.value.split(",");
      const typing = done.pop().trim();
      const kept = done.map((tag) => tag.trim()).filter(Boolean);
      if (!typing) return list.replaceChildren();
      const response = await fetch(`${input.dataset.tagSuggest}?q=${encodeURIComponent(typing)}`);
      if (!response.ok) return;
      const { tags } = await response.json();
      list.replaceChildren(...tags.filter((tag) => !kept.includes(tag)).map((tag) => {
        const option = document.createElement("option");
        option.value = [...kept, tag].join(", ");
        return option;
      }));
    }, 150);
  });
});

// Discussion: Write/Preview tabs, a comment box under a clicked line number, live comments.
(() => {
  const discussion = document.getElementById("discussion");
  const lineForm = document.getElementById("line-comment-form");

  async function renderPreview(form, preview, textarea) {
    preview.textContent = "Rendering…";
    try {
      const response = await fetch(form.dataset.preview, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-XSRFToken": form.querySelector("input[name=_xsrf]").value },
        body: new URLSearchParams({ body: textarea.value }),
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      // Sanitised by the server with the same allow-list as a stored comment.
      preview.innerHTML = data.html || "<p>Nothing to preview.</p>";
    } catch (error) {
      preview.textContent = error.message || "The preview did not work; try again.";
    }
  }

  function enhanceForms(root) {
    root.querySelectorAll("form.comment-form:not([data-enhanced])").forEach((form) => {
      form.dataset.enhanced = "yes";
      const tabs = form.querySelector(".write-tabs");
      const textarea = form.querySelector("textarea[name=body]");
      const preview = form.querySelector(".preview");
      const show = (name) => {
        tabs.querySelectorAll("[data-tab]").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.tab === name)));
        textarea.hidden = name === "preview";
        preview.hidden = name !== "preview";
        if (name === "preview") renderPreview(form, preview, textarea);
      };
      tabs.hidden = false;
      tabs.addEventListener("click", (event) => {
        const tab = event.target.closest("[data-tab]");
        if (tab) show(tab.dataset.tab);
      });
      textarea.addEventListener("invalid", () => show("write"));
      suggestMentions(textarea);
    });
  }

  // "@ca" in a comment box offers the handles of this thread's people that start so (text/mentions.py's rule).
  let suggestions = 0;
  function suggestMentions(textarea) {
    const list = document.createElement("ul");
    list.className = "mention-list";
    list.id = `mention-list-${++suggestions}`;
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People to mention");
    list.hidden = true;
    textarea.after(list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    let chosen = 0, typed = null;
    const people = () => [...new Set([...document.querySelectorAll("#discussion a.author")].reverse().map((a) => a.textContent.trim()))];
    const close = () => { list.hidden = true; typed = null; textarea.removeAttribute("aria-activedescendant"); };
    const mark = () => list.querySelectorAll("li").forEach((li, i) => {
      li.setAttribute("aria-selected", String(i === chosen));
      if (i === chosen) textarea.setAttribute("aria-activedescendant", li.id);
    });
    const accept = (handle) => {
      const end = textarea.selectionStart, start = end - typed.length;
      textarea.setRangeText(`${handle} `, start, end, "end");
      close();
      textarea.focus();
    };
    textarea.addEventListener("input", () => {
      const match = /(?:^|[^\w@/.+-])@([a-z0-9-]*)$/i.exec(textarea.value.slice(0, textarea.selectionStart));
      const found = match ? people().filter((h) => h.startsWith(match[1].toLowerCase())).slice(0, 8) : [];
      if (!found.length) return close();
      typed = match[1];
      chosen = 0;
      list.replaceChildren(...found.map((handle, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        li.textContent = `@${handle}`;
        li.addEventListener("mousedown", (event) => { event.preventDefault(); accept(handle); });
        return li;
      }));
      list.hidden = false;
      mark();
    });
    textarea.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      const options = list.querySelectorAll("li");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        chosen = (chosen + (event.key === "ArrowDown" ? 1 : options.length - 1)) % options.length;
        mark();
      } else if (event.key === "Enter" || event.key === "Tab") {
        accept(options[chosen].textContent.slice(1));
      } else if (event.key === "Escape") {
        close();
      } else {
        return;
      }
      event.preventDefault();
    });
    textarea.addEventListener("blur", close);
  }

  // An item under a line of code (an <li id=file-N-LI> of ol.code) holding comments or a comment box.
  function itemUnder(line, className) {
    const item = document.createElement("li");
    item.className = className;
    const cell = document.createElement("div");
    cell.className = "line-thread";
    item.append(cell);
    line.after(item);
    return [item, cell];
  }

  const lineNumber = (line) => Number(line.id.slice(line.id.lastIndexOf("-L") + 2));

  // A line number's link is named by its number alone; say what it is.
  document.querySelectorAll("ol.code > li[id] > a").forEach((link) => {
    link.setAttribute("aria-label", `Line ${lineNumber(link.parentElement)}`);
  });

  // Focus once the link has been followed: going to an anchor takes the focus away in Chromium.
  const focusSoon = (textarea) => setTimeout(() => textarea.focus());

  // A "+" on the line under the pointer or after the focused line number opens a comment box under
  // that line (the number itself only links to it). One button, moved to where it is wanted.
  const addButton = document.createElement("button");
  addButton.type = "button";
  addButton.className = "line-add";
  addButton.textContent = "+";
  const offerComment = (line) => {
    if (!lineForm || !line || addButton.parentElement === line) return;
    addButton.setAttribute("aria-label", `Comment on line ${lineNumber(line)}`);
    line.firstElementChild.after(addButton);
  };
  document.addEventListener("mouseover", (event) => offerComment(event.target.closest("ol.code > li[id]")));
  document.addEventListener("focusin", (event) => {
    if (event.target.matches("ol.code > li[id] > a")) offerComment(event.target.parentElement);
  });
  addButton.addEventListener("click", () => {
    const line = addButton.parentElement;
    const open = document.querySelector(`li.line-form[data-for="${line.id}"]`);
    if (open) return focusSoon(open.querySelector("textarea"));
    const comments = line.nextElementSibling;
    const [formItem, cell] = itemUnder(comments && comments.classList.contains("line-comments") ? comments : line,
      "line-form");
    formItem.dataset.for = line.id;
    cell.append(lineForm.content.cloneNode(true));
    cell.querySelector("input[name=file]").value = line.closest("section.file").dataset.name;
    cell.querySelector("input[name=line]").value = lineNumber(line);
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => { formItem.remove(); addButton.focus(); });
    cell.querySelector(".form-foot").append(cancel);
    enhanceForms(formItem);
    focusSoon(cell.querySelector("textarea"));
  });

  enhanceForms(document);

  const copies = (id) => [...document.querySelectorAll(`article.comment[data-id="${id}"]`)];
  const part = (el, name) => el.querySelector(`:scope > ${name}`);
  const mainPart = (el, name) => part(part(el, ".comment-main"), name);

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // Put `fresh` in place of `old`, keeping the keyboard focus on the same control: a comment
  // updated live must not throw someone tabbing through it back to the top of the page.
  function swap(old, fresh) {
    const controls = (root) => [...root.querySelectorAll("a[href], button, summary, input, textarea, select")];
    const focused = controls(old).indexOf(document.activeElement);
    old.replaceWith(fresh);
    if (focused >= 0 && controls(fresh)[focused]) controls(fresh)[focused].focus({ preventScroll: true });
  }

  async function postForm(form, fields) {
    const response = await fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-XSRFToken": form.querySelector("input[name=_xsrf]").value },
      body: new URLSearchParams(fields),
    });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error || response.statusText);
    return data;
  }

  // Reactions: a click toggles one in place, in every copy of the comment (thread and under its line).
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-react]");
    if (!form || !event.submitter) return;
    event.preventDefault();
    const status = form.querySelector(".react-status");
    status.textContent = "";
    try {
      const data = await postForm(form, { kind: event.submitter.value });
      copies(form.closest("article.comment").dataset.id).forEach((el) => {
        const old = mainPart(el, ".comment-reactions");
        if (old) swap(old, fragment(data.html));
      });
    } catch (error) {
      status.textContent = error.message || "That did not work; please try again.";
    }
  });

  // Edit in place: the edit page's form opens in the thread instead of the comment's text
  // (that page stays the way without JavaScript, and for a new tab). Conflicts are the server's, as there.
  function closeEdit(main) {
    const editor = part(main, ".edit-in-place");
    if (editor) editor.remove();
    part(main, ".comment-body").hidden = false;
  }

  async function openEdit(link) {
    const main = link.closest(".comment-main");
    const open = part(main, ".edit-in-place");
    if (open) return open.querySelector("textarea").focus();
    const response = await fetch(link.href, { credentials: "same-origin" });
    if (!response.ok) throw new Error(response.statusText);
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const form = document.adoptNode(page.querySelector("form.comment-form"));
    const editor = document.createElement("div");
    editor.className = "edit-in-place";
    const error = document.createElement("p");
    error.className = "error";
    error.setAttribute("role", "alert");
    error.hidden = true;
    const cancel = document.createElement("button");
    cancel.type = "button";
    cancel.className = "link";
    cancel.textContent = "Cancel";
    cancel.addEventListener("click", () => { closeEdit(main); link.focus(); });
    form.querySelector(".form-foot").append(cancel);
    editor.append(error, form);
    const body = part(main, ".comment-body");
    body.hidden = true;
    body.after(editor);
    enhanceForms(editor);
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const data = await postForm(form, new FormData(form));
        copies(main.parentElement.dataset.id).forEach((el) => { mainPart(el, ".comment-body").innerHTML = data.html; });
        closeEdit(main);
        link.focus();
      } catch (failure) {
        error.textContent = failure.message || "Saving did not work; please try again.";
        error.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
    form.querySelector("textarea").focus();
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".comment-actions a.edit");
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    openEdit(link).catch(() => { window.location.href = link.href; });
  });

  if (!discussion || !window.WebSocket) return;
  const thread = discussion.querySelector(".thread");

  function withoutId(node) {
    const copy = node.cloneNode(true);
    copy.removeAttribute("id");
    return copy;
  }

  function lineThread(position) {
    const line = document.getElementById(`file-${position.file}-L${position.line}`);
    if (!line) return null;
    if (line.nextElementSibling && line.nextElementSibling.classList.contains("line-comments")) {
      return line.nextElementSibling.querySelector(".line-thread");
    }
    const [holder, cell] = itemUnder(line, "line-comments");
    holder.dataset.line = position.line;
    return cell;
  }

  function insert(message, node) {
    node.classList.add("arrived");
    if (message.container) {
      // Under every copy of the comment it answers: in the thread and under a line.
      copies(message.container).forEach((holder) => {
        part(holder, ".replies").append(holder.id ? node : withoutId(node));
      });
    } else {
      thread.append(node);
    }
    const cell = message.line && lineThread(message.line);
    if (cell) cell.append(withoutId(node));
    copies(message.id).forEach((el) => { enhanceForms(el); showTimes(el); changed(el); });
  }

  const changed = (el) => el.dispatchEvent(new Event("tornadogists:comment", { bubbles: true }));

  function remove(el) {
    const parentId = el.dataset.parent;
    const underLine = el.closest("li.line-comments");
    el.remove();
    if (underLine && !underLine.querySelector("article.comment")) underLine.remove();
    // A "[deleted]" placeholder stays only while a reply to it is on the page.
    if (parentId && !document.querySelector(`article.comment[data-parent="${parentId}"]`)) {
      copies(parentId).filter((p) => p.classList.contains("deleted")).forEach(remove);
    }
  }


  function update(el, node, type) {
    const fresh = part(node, ".comment-main");
    if (type === "deleted") {
      if (document.querySelector(`article.comment[data-parent="${el.dataset.id}"]`)) {
        swap(part(el, ".comment-main"), fresh.cloneNode(true));
        el.classList.add("deleted");
      } else {
        remove(el);
      }
      return;
    }
    // Only the head, the text and the reactions change: a reply or an edit being typed stays.
    for (const name of [".comment-head", ".comment-body", ".comment-reactions"]) {
      const old = mainPart(el, name);
      if (old && part(fresh, name)) swap(old, part(fresh, name).cloneNode(true));
    }
    const body = mainPart(el, ".comment-body");
    if (body && mainPart(el, ".edit-in-place")) body.hidden = true;
    showTimes(el);
    changed(el);
  }

  function apply(message) {
    if (message.type === "reload") {
      discussion.querySelector(".count").textContent += " · reload the page to see what changed";
      return;
    }
    const node = fragment(message.html);
    const existing = copies(message.id);
    // News the page already shows (the poller repeats what changed just before a page joined):
    // rebuilding the comment would only throw away what the reader is doing with it.
    if (existing.length && existing.every((el) => Number(el.dataset.at) >= message.at)) return;
    if (existing.length) {
      existing.forEach((el) => { update(el, node, message.type); el.dataset.at = message.at; });
    } else if (message.type !== "deleted") {
      insert(message, node);
    }
    const count = thread.querySelectorAll("article.comment:not(.deleted)").length;
    discussion.querySelector(".count").textContent = count;
    discussion.querySelector(".no-comments").hidden = count > 0;
  }

  let since = Number(discussion.dataset.since);
  let delay = 1000;
  function connect() {
    const url = new URL(discussion.dataset.live, window.location.href);
    url.protocol = url.protocol.replace("http", "ws");
    url.searchParams.set("since", since);
    // The version the page was built from: while the gist is still at it, there is nothing to replay.
    url.searchParams.set("version", discussion.dataset.version);
    const socket = new WebSocket(url);
    socket.addEventListener("open", () => { delay = 1000; });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      apply(message);
      if (message.at) since = Math.max(since, message.at);
    });
    // Dropped (a restart, a network change): reconnect, asking for what changed since the last news.
    socket.addEventListener("close", () => {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();

// Embed snippets on a gist's page: a Copy button beside each (without this file, the text can be selected).
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const input = document.getElementById(button.dataset.copy);
  const status = button.closest("details").querySelector(".embed-status");
  button.hidden = false;
  input.addEventListener("focus", () => input.select());
  button.addEventListener("click", async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      // No clipboard API (a page served over plain http): the browser's own copy of the selection.
      document.execCommand("copy");
    }
    status.textContent = `Copied the ${input.labels[0].textContent.split(" (")[0].toLowerCase()} snippet.`;
  });
});

// Lines of code: links as gist.github.com writes them (#file-{name}-L5, a range #file-{name}-L5-L8 by
// shift-click), highlighted and scrolled to. The lines' own ids name the file by its position
// (#file-2-L5: fewer bytes on a long file); those links land without this file, and are shown in GitHub's form.
(() => {
  const files = [...document.querySelectorAll("section.file[data-n]")];
  if (!files.length) return;
  document.documentElement.classList.add("lines-js");
  const byName = new Map(files.map((file) => [file.id, file.dataset.n]));
  const byPosition = new Map(files.map((file) => [`file-${file.dataset.n}`, file.id]));
  const line = (range, n) => document.getElementById(`file-${range.n}-L${n}`);
  function parse(hash) {
    const found = hash.match(/^#(file-[a-z0-9_-]+?)-L(\d+)(?:-L(\d+))?$/);
    if (!found) return null;
    const name = byName.has(found[1]) ? found[1] : byPosition.get(found[1]);
    const [first, last] = [Number(found[2]), Number(found[3] || found[2])].sort((a, b) => a - b);
    const range = name && { name, n: byName.get(name), first, last };
    return range && line(range, first) ? range : null;
  }
  const written = (r) => (r.first === r.last ? `#${r.name}-L${r.first}` : `#${r.name}-L${r.first}-L${r.last}`);
  function show(scroll) {
    document.querySelectorAll("ol.code > li.selected").forEach((li) => li.classList.remove("selected"));
    const file = byPosition.get(location.hash.slice(1));
    if (file) return history.replaceState(null, "", `#${file}`);   // a file by its position (#file-2)
    const range = parse(location.hash);
    if (!range) return;
    for (let n = range.first; n <= range.last; n += 1) if (line(range, n)) line(range, n).classList.add("selected");
    if (location.hash !== written(range)) history.replaceState(null, "", written(range));
    if (scroll) line(range, range.first).scrollIntoView({ block: "start" });
  }
  if (byPosition.has(location.hash.slice(1))) document.getElementById(byPosition.get(location.hash.slice(1))).scrollIntoView();
  show(true);
  window.addEventListener("hashchange", () => show(true));
  document.addEventListener("click", (event) => {
    const link = event.target.closest("ol.code > li[id] > a");
    if (!link || event.ctrlKey || event.metaKey || event.button !== 0) return;
    const file = link.closest("section.file").id;
    const n = Number(link.parentElement.id.slice(link.parentElement.id.lastIndexOf("-L") + 2));
    const current = parse(location.hash);
    const from = event.shiftKey && current && current.name === file ? current.first : n;
    event.preventDefault();
    history.pushState(null, "", written({ name: file, first: Math.min(from, n), last: Math.max(from, n) }));
    show(false);
  });
})();

// Copying code gives back its lines as written: every line (blank ones too), never a line
// number, a "+" or a comment shown under a line. A Copy button for each file and each code block in comments.
(() => {
  const codeText = (root) => {
    root.querySelectorAll("li.line-comments, li.line-form, li > a, .line-add").forEach((el) => el.remove());
    const lines = root.querySelectorAll("li");
    return lines.length ? [...lines].map((li) => li.textContent).join("\n") : root.textContent;
  };
  document.addEventListener("copy", (event) => {
    const selection = document.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const code = (node) => (node.nodeType === 1 ? node : node.parentElement).closest("ol.code");
    const list = code(range.startContainer);
    if (!list || list !== code(range.endContainer) || range.commonAncestorContainer !== list) return;
    event.clipboardData.setData("text/plain", codeText(range.cloneContents()));
    event.preventDefault();
  });

  async function copy(button, text) {
    const status = button.nextElementSibling;
    try {
      await navigator.clipboard.write([new ClipboardItem({ "text/plain": Promise.resolve(text).then(
        (value) => new Blob([value], { type: "text/plain" })) })]);
      button.textContent = "Copied";
      status.textContent = "Copied to the clipboard.";
    } catch {
      status.textContent = "Copying did not work here; select the text instead.";
    }
    setTimeout(() => { button.textContent = "Copy"; status.textContent = ""; }, 2000);
  }
  function copyButton(place, label, text) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy small";
    button.textContent = "Copy";
    button.setAttribute("aria-label", label);
    const status = document.createElement("span");
    status.className = "copy-status visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", () => copy(button, text()));
    place(button, status);
    return button;
  }
  document.querySelectorAll("section.file").forEach((file) => {
    const list = file.querySelector("ol.code");
    if (!list) return;
    const raw = file.querySelector(".file-head a[data-raw]");
    // The raw file gives back its exact bytes (line ends and the last newline included).
    const text = () => (raw ? fetch(raw.href).then((r) => (r.ok ? r.text() : Promise.reject()))
      : codeText(list.cloneNode(true)) + "\n");
    copyButton((b, s) => file.querySelector(".file-head .spacer").after(b, s), `Copy ${file.dataset.name}`, text);
  });
  // Code in comments, also in comments that arrive or change live (the discussion block tells).
  const codeInComments = (root) => root.querySelectorAll(".comment-body pre:not([data-copy])").forEach((pre) => {
    pre.dataset.copy = "";
    copyButton((b, s) => { pre.before(b, s); }, "Copy this code", () => pre.textContent);
  });
  codeInComments(document);
  document.addEventListener("tornadogists:comment", (event) => codeInComments(event.target));
  const clone = document.getElementById("clone-url");
  if (clone) clone.addEventListener("focus", () => clone.select());
})();

// Importing one's gists: while the import runs, its progress is fetched again every two seconds.
document.querySelectorAll("[data-import-running]").forEach((section) => {
  const poll = () => fetch(section.dataset.importRunning, { credentials: "same-origin" })
    .then((response) => response.text())
    .then((html) => {
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-progress");
      if (!fresh) return;
      document.getElementById("import-progress").replaceWith(fresh);
      if (fresh.hasAttribute("data-import-running")) setTimeout(poll, 2000);
    })
    .catch(() => setTimeout(poll, 5000));
  setTimeout(poll, 2000);
});
// Avatars from GitHub: one that fails to load (GitHub away, a picture gone) shows the site's own
// initial avatar (data-fallback) instead of a broken-image glyph. Error events do not bubble, so
// one listener in the capture phase sees every image (live comments too); the ones that failed
// before this file ran are found by looking. Without this file a failed avatar is a plain disc (site.css).
(() => {
  function fallBack(img) {
    const local = img.dataset.fallback;
    if (local && img.getAttribute("src") !== local) img.src = local;
  }
  document.addEventListener("error", (event) => {
    if (event.target instanceof HTMLImageElement) fallBack(event.target);
  }, true);
  document.querySelectorAll("img[data-fallback]").forEach((img) => {
    if (img.complete && img.naturalWidth === 0) fallBack(img);
  });
})();

// Keyboard shortcuts (issue 20), listed by "?": none fires while typing in a field or with Ctrl, Alt or Meta.
(() => {
  const SHORTCUTS = [
    [["/", "s"], "Search"], [["j"], "Next item in a list"], [["k"], "Previous item in a list"],
    [["o", "Enter"], "Open the selected item"], [["g h"], "Go to the home page"], [["?"], "Show this help"],
  ];
  const ITEMS = "main .card, main ol.people > li";
  let dialog = null;
  let pending = "";   // "g" waits for its second key

  function typing(event) {
    const el = event.target;
    return el instanceof Element && (el.isContentEditable || el.closest("input, textarea, select, [contenteditable]"));
  }

  function help() {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "shortcuts";
      dialog.setAttribute("aria-labelledby", "shortcuts-title");
      const rows = SHORTCUTS.map(([keys, what]) =>
        `<dt>${keys.map((k) => k.split(" ").map((part) => `<kbd>${part}</kbd>`).join(" then ")).join(" or ")}</dt><dd>${what}</dd>`);
      dialog.innerHTML = `<h2 id="shortcuts-title">Keyboard shortcuts</h2><dl>${rows.join("")}</dl>
        <p class="hint">Not while typing in a field.</p><button type="button">Close</button>`;
      dialog.querySelector("button").addEventListener("click", () => dialog.close());
      dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });  // the backdrop
      document.body.append(dialog);
    }
    if (!dialog.open) dialog.showModal();
  }

  function search() {
    const field = [...document.querySelectorAll("main input[type=search], .site-search input")]
      .find((input) => input.checkVisibility());
    if (field) {
      field.focus();
      field.select();
    } else {
      const form = document.querySelector(".site-search");
      if (form) window.location.assign(form.action);   // the search box is folded away (a phone): its page
    }
  }

  function move(step) {
    const items = [...document.querySelectorAll(ITEMS)];
    if (!items.length) return;
    const at = items.findIndex((item) => item.classList.contains("selected"));
    const next = items[at < 0 ? 0 : Math.min(Math.max(at + step, 0), items.length - 1)];
    items.forEach((item) => item.classList.toggle("selected", item === next));
    (mainLink(next) || next).focus({ preventScroll: true });
    next.scrollIntoView({ block: "nearest" });
  }

  function mainLink(item) {
    return item.querySelector("h2 a[href]") || item.querySelector("a[href]");
  }

  function open() {
    const selected = document.querySelector(`:is(${ITEMS}).selected`);
    const link = selected && mainLink(selected);
    if (link) link.click();
  }

  const footer = document.querySelector(".site-footer p");
  if (footer) {
    const button = document.createElement("button");
    Object.assign(button, { type: "button", className: "link", textContent: "Keyboard shortcuts (?)" });
    button.addEventListener("click", help);
    footer.append(" · ", button);
  }

  const ACTIONS = { "/": search, s: search, j: () => move(1), k: () => move(-1), o: open, "?": help };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event)) return;
    if (dialog && dialog.open) return;   // the dialog keeps Tab, Enter and Escape
    // Enter needs nothing here: j and k focus the item's link, which Enter follows.
    const action = pending === "g" ? { h: () => window.location.assign(document.querySelector(".brand").href) }[event.key]
      : ACTIONS[event.key];
    pending = event.key === "g" && !pending ? "g" : "";
    if (action) {
      event.preventDefault();
      action();
    }
  });
})();
// The phone header: the search and the links open under the name, from two buttons (Escape closes them).
function phoneHeader() {
  const toggles = [...document.querySelectorAll(".site-header .nav-toggle")];
  const panels = (toggle) => toggle.getAttribute("aria-controls").split(" ").map((id) => document.getElementById(id));
  const set = (toggle, open) => {
    toggle.setAttribute("aria-expanded", String(open));
    panels(toggle).forEach((panel) => panel.classList.toggle("open", open));
  };
  toggles.forEach((toggle) => toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggles.forEach((other) => set(other, other === toggle && open));
    const field = open && panels(toggle)[0].querySelector("input");
    if (field) field.focus();
  }));
  document.addEventListener("keydown", (event) => {
    const open = toggles.find((toggle) => toggle.getAttribute("aria-expanded") === "true");
    if (event.key !== "Escape" || !open) return;
    set(open, false);
    open.focus();
  });
}
phoneHeader();

// Soft wrap: a button on each file wraps long lines instead of scrolling them sideways, for every
// file and every page after, remembered by this browser.
function softWrap() {
  const buttons = [...document.querySelectorAll("section.file .wrap-toggle")];
  if (!buttons.length) return;
  const KEY = "tornadogists.wrap";
  const stored = () => { try { return localStorage.getItem(KEY) === "on"; } catch { return false; } };
  const show = (on) => {
    document.documentElement.classList.toggle("wrap-code", on);
    buttons.forEach((button) => button.setAttribute("aria-pressed", String(on)));
  };
  buttons.forEach((button) => button.addEventListener("click", () => {
    const on = button.getAttribute("aria-pressed") !== "true";
    try { localStorage.setItem(KEY, on ? "on" : "off"); } catch { /* private mode: this page only */ }
    show(on);
  }));
  show(stored());
}
softWrap();

// A form that takes a while (importing a gist from GitHub) says so and is not sent twice.
function busyForms() {
  document.querySelectorAll("form[data-busy]").forEach((form) => {
    const button = form.querySelector("button[type=submit]");
    const label = button.textContent;
    const note = form.querySelector(".busy-note");
    form.addEventListener("submit", (event) => {
      if (form.getAttribute("aria-busy")) {   // sent already: a double click sends it once
        event.preventDefault();
        return;
      }
      // After this event the browser has the form's data: disabling the button does not stop it.
      setTimeout(() => { button.disabled = true; button.textContent = form.dataset.busy; });
      form.setAttribute("aria-busy", "true");
      if (note) note.textContent = "Fetching it from GitHub: this can take a few seconds.";
    });
    // Back to this page from the next one: the form can be sent again.
    window.addEventListener("pageshow", () => {
      button.disabled = false;
      button.textContent = label;
      form.removeAttribute("aria-busy");
      if (note) note.textContent = "";
    });
  });
}
busyForms();
