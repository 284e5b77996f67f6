// The media library (the Photo list): a grid of thumbnails, or the admin's list with its bulk
// actions; the choice is remembered in this browser. Without JavaScript both are shown.
"use strict";

(function () {
  const grid = document.querySelector(".photo-library-grid");
  const list = document.querySelector(".photo-library-list");
  if (!grid || !list) {
    return;
  }
  function show(view) {
    grid.hidden = view !== "grid";
    list.hidden = view === "grid";
    document.querySelectorAll(".photo-library-view").forEach((link) => {
      link.setAttribute("aria-current", link.dataset.view === view ? "true" : "false");
    });
    try {
      window.localStorage.setItem("newsroom.photoLibraryView", view);
    } catch (error) {
      // private browsing: the choice lasts for this page only
    }
  }
  document.querySelectorAll(".photo-library-view").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      show(link.dataset.view);
    });
  });
  let saved = "grid";
  try {
    saved = window.localStorage.getItem("newsroom.photoLibraryView") || "grid";
  } catch (error) {
    saved = "grid";
  }
  show(saved);
})();
