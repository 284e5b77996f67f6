// Accessible names for the story form's widgets that Django and its libraries leave unnamed
// (axe-core: "label", "aria-input-field-name", "list"): the autocomplete boxes (select2) and the
// body editor (django-prose-editor). Each gets the text of the field's own <label>.
"use strict";

(function () {
  function labelFor(id) {
    const label = id && document.querySelector(`label[for="${id}"]`);
    if (!label) {
      return null;
    }
    if (!label.id) {
      label.id = `${id}-label`;
    }
    return label;
  }

  // An autocomplete select's visible box: named by the field's label, not by its (empty) text.
  function nameAutocomplete(select) {
    const label = labelFor(select.id);
    const container = select.nextElementSibling;
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    const name = label.textContent.replace(/:\s*$/, "").trim();
    container.querySelectorAll(".select2-selection").forEach((box) => {
      box.setAttribute("aria-labelledby", label.id);
    });
    container.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach((text) => {
      text.setAttribute("aria-label", name);
    });
    container.querySelectorAll(".select2-search__field").forEach((input) => {
      input.setAttribute("aria-label", `${name}: search`);
    });
    // The "clear" cross select2 puts inside its list of chosen items.
    container.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach((item) => {
      item.setAttribute("role", "listitem");
    });
  }

  function nameAll() {
    document.querySelectorAll("select.admin-autocomplete").forEach(nameAutocomplete);
  }

  // The dropdown's search box opens in a floating container at the end of the page.
  function nameOpenSearch(event) {
    const select = event.target;
    const label = labelFor(select.id);
    // An expanded combobox names the list it controls (ARIA 1.2); select2 only sets aria-owns.
    const box = select.nextElementSibling && select.nextElementSibling.querySelector("[role=combobox][aria-owns]");
    if (box) {
      box.setAttribute("aria-controls", box.getAttribute("aria-owns"));
    }
    document.querySelectorAll(".select2-container--open .select2-search__field").forEach((input) => {
      input.setAttribute("aria-label", `${label ? label.textContent.replace(/:\s*$/, "").trim() : "Options"}: search`);
    });
  }

  // The body editor: a contenteditable textbox named by the field's label.
  function nameEditor(event) {
    const textarea = event.target;
    const editor = event.detail && event.detail.editor;
    const label = labelFor(textarea.id);
    if (!editor || !label) {
      return;
    }
    editor.view.dom.setAttribute("aria-labelledby", label.id);
    editor.view.dom.setAttribute("aria-multiline", "true");
    editor.view.dom.setAttribute("role", "textbox");
  }

  function start() {
    nameAll();
    const form = document.getElementById("article_form") || document.getElementById("content-main");
    if (form) {
      // select2 re-renders its box on every change and when an inline row is added.
      new MutationObserver(nameAll).observe(form, { childList: true, subtree: true });
    }
    if (window.django && window.django.jQuery) {
      window.django.jQuery(document).on("select2:open", nameOpenSearch);
    }
  }

  document.addEventListener("prose-editor:ready", nameEditor);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
