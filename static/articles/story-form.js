// The story form while someone types in it (articles/admin/live.py): autosave at most every few
// seconds, a warning before leaving with unsaved changes, who else has the story open, and a
// preview of what is on screen. Nothing here changes the story itself.
"use strict";

(function () {
  function start() {
    const live = document.getElementById("story-live");
    const form = document.getElementById("article_form");
    if (!live || !form) {
      return;
    }
    const status = live.querySelector(".story-autosave-status");
    const autosaveEvery = Number(live.dataset.autosaveSeconds || 5) * 1000;
    const heartbeatEvery = Number(live.dataset.presenceSeconds || 15) * 1000;
    let dirty = false;
    let submitting = false;
    let timer = null;
    let lastSave = 0;

    function csrf() {
      const field = form.querySelector("input[name=csrfmiddlewaretoken]");
      return field ? field.value : "";
    }

    function post(url, body) {
      return fetch(url, {
        method: "POST",
        body: body || new FormData(),
        headers: { "X-CSRFToken": csrf() },
        credentials: "same-origin",
      });
    }

    // -- autosave: throttled, never more often than every `autosaveEvery` ms while typing ------
    function autosave() {
      timer = null;
      lastSave = Date.now();
      post(live.dataset.autosaveUrl, new FormData(form))
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          live.dataset.autosaved = answer.saved_at;
          status.textContent = `Draft autosaved at ${answer.saved_at} (not published, not saved to the story).`;
        })
        .catch(() => {
          status.textContent = "Autosave failed; your changes are only in this window. Save to keep them.";
        });
    }

    function changed(event) {
      if (event && event.target && event.target.name === "csrfmiddlewaretoken") {
        return;
      }
      dirty = true;
      if (timer === null) {
        timer = setTimeout(autosave, Math.max(0, autosaveEvery - (Date.now() - lastSave)));
      }
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);

    // Closing the tab (or switching away) inside the interval: send what is waiting now, so a
    // closed tab loses nothing typed. keepalive lets the request outlive the page (up to 64 KB
    // of form; a longer one keeps the draft of the last interval).
    function flush() {
      if (timer === null || submitting) {
        return;
      }
      clearTimeout(timer);
      timer = null;
      lastSave = Date.now();
      fetch(live.dataset.autosaveUrl, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": csrf() },
        credentials: "same-origin",
        keepalive: true,
      }).catch(() => {});
    }
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        flush();
      }
    });

    // -- warn before leaving with unsaved changes ----------------------------------------------
    form.addEventListener("submit", () => {
      if (!form.dataset.previewing) {
        submitting = true;
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    window.storyFormIsDirty = () => dirty && !submitting;

    // -- an autosaved draft from an earlier visit ---------------------------------------------
    const discard = live.querySelector(".discard-draft");
    if (discard) {
      discard.addEventListener("click", () => {
        post(live.dataset.discardUrl).then(() => {
          live.querySelector(".story-draft-offer").remove();
        });
      });
    }

    // -- preview what is on screen, unsaved ---------------------------------------------------
    function previewScreen() {
      const action = form.getAttribute("action");
      const target = form.getAttribute("target");
      form.dataset.previewing = "1";
      form.setAttribute("action", live.dataset.previewUrl);
      form.setAttribute("target", "_blank");
      HTMLFormElement.prototype.submit.call(form);
      form.dataset.previewing = "";
      if (action === null) {
        form.removeAttribute("action");
      } else {
        form.setAttribute("action", action);
      }
      if (target === null) {
        form.removeAttribute("target");
      } else {
        form.setAttribute("target", target);
      }
    }
    live.querySelector(".preview-on-screen").addEventListener("click", previewScreen);
    // The Preview link at the top shows the screen too (without JavaScript: the saved story).
    const link = document.querySelector("a.story-preview-link");
    if (link) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        previewScreen();
      });
    }

    // -- presence: who else has this story open -----------------------------------------------
    const presence = live.querySelector(".story-presence");
    function heartbeat() {
      post(live.dataset.presenceUrl)
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          if (!answer.others.length) {
            presence.hidden = true;
            presence.textContent = "";
            return;
          }
          presence.hidden = false;
          presence.textContent =
            "Also editing this story now: " +
            answer.others
              .map((other) => other.name + (other.last_saved ? ` (last saved ${other.last_saved})` : " (no saves yet)"))
              .join(", ") +
            ". Your saves merge with theirs.";
        })
        .catch(() => {});
    }
    if (live.dataset.presenceUrl) {
      heartbeat();
      setInterval(heartbeat, heartbeatEvery);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
