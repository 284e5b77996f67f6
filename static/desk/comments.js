// The desk's comment thread beside the story form (templates/admin/desk/story_comments.html).
// Posts with fetch, so whatever is typed in the story form stays there, unsaved and untouched;
// @ opens a short list of desk users to mention.
(function () {
  "use strict";

  function start() {
    const form = document.querySelector(".desk-comment-form");
    if (!form) return;
    const thread = document.querySelector(".desk-comments-thread");
    const text = form.querySelector("textarea[name=text]");
    const error = form.querySelector(".desk-comment-error");
    const button = form.querySelector("button[type=submit]");
    const choices = form.querySelector(".desk-mention-choices");
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

    function showError(message) {
      error.textContent = message;
      error.hidden = !message;
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) {
        showError("Write something first: the comment is empty.");
        text.focus();
        return;
      }
      button.disabled = true;
      showError("");
      try {
        const response = await fetch(form.action, {
          method: "POST",
          headers: { "X-CSRFToken": token, Accept: "application/json" },
          body: new FormData(form),
          credentials: "same-origin",
        });
        const data = await response.json();
        if (!response.ok) {
          showError(data.error || "The comment could not be posted.");
          return;
        }
        thread.innerHTML = data.html; // rendered and escaped by the server (desk/comments.py)
        text.value = "";
        hideChoices();
      } catch (failure) {
        showError("The comment could not be posted (no connection?). It is still in the box: try again.");
      } finally {
        button.disabled = false;
      }
    });

    // -- @mention suggestions --------------------------------------------------------------
    let pending = null;

    function hideChoices() {
      choices.hidden = true;
      choices.replaceChildren();
    }

    function mentionAtCaret() {
      const before = text.value.slice(0, text.selectionStart);
      const match = /(^|[\s(])@([\w.+-]*)$/.exec(before);
      return match ? { query: match[2], start: before.length - match[2].length } : null;
    }

    function insert(username, start) {
      const end = text.selectionStart;
      text.value = text.value.slice(0, start) + username + " " + text.value.slice(end);
      const caret = start + username.length + 1;
      text.setSelectionRange(caret, caret);
      text.focus();
      hideChoices();
    }

    text.addEventListener("input", () => {
      const mention = mentionAtCaret();
      if (!mention || !mention.query) {
        hideChoices();
        return;
      }
      clearTimeout(pending);
      pending = setTimeout(async () => {
        const url = `${form.dataset.mentionsUrl}?q=${encodeURIComponent(mention.query)}`;
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) return;
        const data = await response.json();
        choices.replaceChildren();
        for (const username of data.users) {
          const pick = document.createElement("button");
          pick.type = "button";
          pick.textContent = "@" + username;
          pick.addEventListener("click", () => insert(username, mention.start));
          choices.append(pick);
        }
        choices.hidden = data.users.length === 0;
      }, 150);
    });
    text.addEventListener("keydown", (event) => {
      if (event.key === "Escape") hideChoices();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
