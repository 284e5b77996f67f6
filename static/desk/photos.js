// Photos in the story form (articles/admin/story_photos.py, photo_grid.py): upload and attach in
// one step (drop zone, file input, several files), the chooser with thumbnails, search and
// filters, and photos inside the body (static/desk/photo-figure.js calls window.deskPhotos).
// Nothing here saves the story: an attached photo is a new "Photos and captions" row, written by
// the story's own versioned save, and story-form.js autosaves the form as for any other change.
"use strict";

(function () {
  let tools = null;
  let dialog = null;
  let choosing = null; // what a click on a card does: {mode: "row"|"attach"|"body", input, editor}
  const cards = new Map(); // photo id -> card (from uploads and the chooser)

  function form() {
    return document.getElementById("article_form");
  }

  function csrf() {
    const field = form() && form().querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function group() {
    return document.getElementById("captions-group");
  }

  // -- the story's photo rows ------------------------------------------------------------------
  function rows() {
    const captions = group();
    if (!captions) {
      return [];
    }
    return Array.from(captions.querySelectorAll(".inline-related:not(.empty-form)")).filter((row) => {
      const remove = row.querySelector("input[name$='-DELETE']");
      return !(remove && remove.checked);
    });
  }

  function field(row, name) {
    return row.querySelector(`[name$='-${name}']:not([name^='initial-'])`);  // not the hidden initial value
  }

  function rowFor(photoId) {
    return rows().find((row) => {
      const input = row.querySelector(".photo-chooser-value");
      return input && input.value === String(photoId);
    });
  }

  function hasLead() {
    return rows().some((row) => {
      const role = field(row, "role");
      return role && role.value === "lead" && row.querySelector(".photo-chooser-value").value;
    });
  }

  function changed(element) {
    element.dispatchEvent(new Event("change", { bubbles: true })); // story-form.js: dirty + autosave
  }

  function showPhoto(input, card) {
    const box = input.closest(".photo-chooser-field");
    input.value = String(card.id);
    box.dataset.photoId = String(card.id);
    box.dataset.caption = card.caption || "";
    box.dataset.credit = card.credit || "";
    box.dataset.label = card.label || "";
    const thumb = box.querySelector(".photo-chooser-thumb");
    thumb.textContent = "";
    const img = document.createElement("img");
    img.src = card.thumb;
    img.width = card.thumb_width;
    img.height = card.thumb_height;
    img.alt = "";
    img.style.maxWidth = "120px";
    img.style.height = "auto";
    thumb.append(img);
    box.querySelector(".photo-chooser-label").textContent = card.label;
    box.querySelector(".photo-chooser-open").textContent = "Change photo…";
    const row = input.closest(".inline-related");
    const caption = field(row, "caption");
    const credit = field(row, "credit");
    const alt = field(row, "alt_text");
    if (caption && !caption.value) {
      caption.value = card.caption || "";
    }
    if (credit && !credit.value) {
      credit.value = card.credit || "";
    }
    if (alt) {
      alt.value = card.alt_text || "";
      alt.disabled = !card.can_edit_alt_text;
      alt.title = card.can_edit_alt_text ? "" : "Only the photo's uploader or a photo editor can change its alt text.";
    }
    changed(input);
  }

  function addRow() {
    const link = group() && group().querySelector(".add-row a");
    if (!link) {
      return null;
    }
    link.click(); // Django's inlines.js adds the row before its empty template
    const all = group().querySelectorAll(".inline-related:not(.empty-form)");
    return all[all.length - 1];
  }

  // Attach `card` to the story as a new photo row (lead if the story has none); returns the row.
  function attach(card, { role } = {}) {
    cards.set(String(card.id), card);
    const existing = rowFor(card.id);
    if (existing) {
      return existing;
    }
    const row = addRow();
    if (!row) {
      return null;
    }
    const roleField = field(row, "role");
    if (roleField) {
      roleField.value = role || (hasLead() ? "inline" : "lead");
    }
    showPhoto(row.querySelector(".photo-chooser-value"), card);
    return row;
  }

  // -- upload ----------------------------------------------------------------------------------
  function report(list, name) {
    const item = document.createElement("li");
    item.textContent = `${name}: uploading…`;
    list.append(item);
    return item;
  }

  function uploadOne(file) {
    const body = new FormData();
    body.append("file", file, file.name);
    return fetch(tools.dataset.uploadUrl, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": csrf() },
      credentials: "same-origin",
    }).then((response) => {
      if (response.status === 413) {
        return { error: "The file is larger than the server accepts." };
      }
      return response
        .json()
        .catch(() => ({ error: `The upload failed (HTTP ${response.status}); nothing was saved.` }));
    }, () => ({ error: "The upload failed: the server could not be reached. Nothing was saved." }));
  }

  // Upload files one by one (each gets its own answer); `then(card)` for each photo that arrived.
  function uploadFiles(files, list, then) {
    let chain = Promise.resolve();
    Array.from(files).forEach((file) => {
      const item = report(list, file.name);
      chain = chain
        .then(() => uploadOne(file))
        .then((answer) => {
          if (answer.error || !answer.photo) {
            item.className = "photo-upload-error";
            item.setAttribute("role", "alert");
            item.textContent = `${file.name}: not uploaded. ${answer.error || "Unknown error."}`;
            return;
          }
          cards.set(String(answer.photo.id), answer.photo);
          const where = then(answer.photo);
          item.className = "photo-upload-done";
          item.textContent = `${file.name}: ${answer.created ? "uploaded" : "already in the library"}, ${where}. Save the story to keep it.`;
        });
    });
    return chain;
  }

  function attachedAs(card) {
    const row = attach(card);
    if (!row) {
      return "but it could not be attached here";
    }
    const role = field(row, "role");
    return role && role.value === "lead" ? "attached as the lead photo" : "attached";
  }

  function setUpDropZone(zone) {
    const list = zone.querySelector(".photo-upload-results");
    const input = zone.querySelector(".photo-drop-input");
    input.addEventListener("change", () => {
      uploadFiles(input.files, list, attachedAs).then(() => {
        input.value = "";
      });
    });
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("is-dragging");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("is-dragging"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("is-dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        uploadFiles(event.dataTransfer.files, list, attachedAs);
      }
    });
  }

  // -- the chooser -----------------------------------------------------------------------------
  function load(params) {
    const results = dialog.querySelector(".photo-chooser-results");
    const url = `${tools.dataset.chooseUrl}?${new URLSearchParams(params || {})}`;
    fetch(url, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        results.innerHTML = html;
        const search = results.querySelector(".photo-chooser-search");
        search.addEventListener("submit", (event) => {
          event.preventDefault();
          load(new FormData(search));
        });
        results.querySelectorAll(".photo-chooser-page").forEach((button) => {
          button.addEventListener("click", () => {
            const data = new FormData(search);
            data.set("page", button.dataset.page);
            load(data);
          });
        });
      })
      .catch(() => {
        results.textContent = "The photos could not be loaded. Close this and try again.";
      });
  }

  function openChooser(how) {
    choosing = how;
    const purpose = {
      row: "The photo you choose goes in this photo row.",
      attach: "The photo you choose is attached to the story (as the lead if it has none).",
      body: "The photo you choose is attached to the story and shown in the body where the cursor is.",
    };
    dialog.querySelector(".photo-chooser-purpose").textContent = purpose[how.mode];
    dialog.showModal();
    load();
  }

  function chosen(card) {
    const how = choosing;
    dialog.close();
    cards.set(String(card.id), card);
    if (how.mode === "row") {
      showPhoto(how.input, card);
    } else if (how.mode === "attach") {
      attach(card);
    } else if (how.mode === "body") {
      insertInBody(how.editor, card);
    }
  }

  // -- photos inside the body ------------------------------------------------------------------
  function bodyStatus(text) {
    let status = document.querySelector(".photo-body-status");
    const body = document.querySelector(".field-body");
    if (!status && body) {
      status = document.createElement("p");
      status.className = "photo-body-status";
      status.setAttribute("role", "alert");
      body.append(status);
    }
    if (status) {
      status.textContent = text;
    }
  }

  function insertInBody(editor, card) {
    const row = attach(card, { role: "inline" });
    if (!row) {
      bodyStatus("The photo could not be attached to this story, so it was not put in the body.");
      return;
    }
    editor.chain().focus().insertContent({ type: "photoFigure", attrs: { photo: String(card.id) } }).run();
    bodyStatus(`Photo “${card.label}” is in the body, with its caption and credit from “Photos and captions”. Save the story to keep it.`);
  }

  window.deskPhotos = {
    chooseForBody(editor) {
      openChooser({ mode: "body", editor });
    },
    // Image files pasted or dropped into the body: uploaded through the pipeline, then inserted.
    uploadForBody(editor, files) {
      if (!tools || !tools.dataset.canUpload) {
        bodyStatus("The pasted image was not added: you cannot upload photos. Choose one from the library instead.");
        return;
      }
      let list = document.querySelector(".photo-body-uploads");
      if (!list) {
        list = document.createElement("ul");
        list.className = "photo-upload-results photo-body-uploads";
        list.setAttribute("aria-live", "polite");
        document.querySelector(".field-body").append(list);
      }
      uploadFiles(files, list, (card) => {
        insertInBody(editor, card);
        return "put in the body";
      });
    },
    // Pasted HTML whose images the body cannot take (they were on another site): say so.
    warnDroppedImages(count) {
      bodyStatus(
        `The pasted text held ${count} image${count === 1 ? "" : "s"}, which ${count === 1 ? "was" : "were"} not ` +
          "copied: the body takes photos only from the library. Paste or drop the image file itself, or use " +
          "the Photo button to choose one.",
      );
    },
    // What the body editor shows for <figure data-photo="id">: the story's row for that photo.
    describe(photoId) {
      const row = rowFor(photoId);
      const card = cards.get(String(photoId));
      if (row) {
        const img = row.querySelector(".photo-chooser-thumb img, .field-preview img");
        const caption = field(row, "caption");
        const credit = field(row, "credit");
        return {
          thumb: img ? img.src : card && card.thumb,
          caption: caption ? caption.value : "",
          credit: credit ? credit.value : "",
        };
      }
      if (card) {
        return { thumb: card.thumb, caption: card.caption, credit: card.credit };
      }
      return null;
    },
  };

  function start() {
    tools = document.getElementById("story-photo-tools");
    if (!tools) {
      return;
    }
    dialog = tools.querySelector(".photo-chooser-dialog");
    document.body.append(dialog); // out of the hidden container, so it can show
    const zone = tools.querySelector(".photo-drop-zone");
    const captions = group();
    if (zone && captions) {
      const heading = captions.querySelector("h2");
      (heading || captions.firstChild).after(zone);
      setUpDropZone(zone);
    }
    dialog.querySelector(".photo-chooser-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      const card = event.target.closest(".photo-card-choose");
      if (card) {
        chosen(JSON.parse(card.dataset.card));
      }
    });
    // "Choose a photo…" in a row (also rows added later) and "choose from the library…".
    document.addEventListener("click", (event) => {
      const button = event.target.closest(".photo-chooser-open");
      if (!button || dialog.contains(button)) {
        return;
      }
      event.preventDefault();
      const input = button.closest(".photo-chooser-field");
      if (input) {
        openChooser({ mode: "row", input: input.querySelector(".photo-chooser-value") });
      } else {
        openChooser({ mode: "attach" });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
