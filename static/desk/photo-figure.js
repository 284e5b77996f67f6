// A photo inside the story body for django-prose-editor (TipTap): the node behind
// <figure data-photo="<id>"></figure>, the only form articles/html.py keeps. The caption and
// credit are the story's own ("Photos and captions"), drawn on the public page, so the stored
// figure holds nothing else. The Photo button opens the chooser; image files pasted or dropped
// into the body are uploaded and inserted, and images inside pasted HTML are reported, never
// dropped silently (static/desk/photos.js, window.deskPhotos).
import { Node, Plugin, mergeAttributes } from "django-prose-editor/editor";

function photos() {
  return window.deskPhotos || null;
}

function imageFiles(transfer) {
  return Array.from((transfer && transfer.files) || []).filter((file) => file.type.startsWith("image/"));
}

export const PhotoFigure = Node.create({
  name: "photoFigure",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      photo: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-photo"),
        renderHTML: (attributes) => ({ "data-photo": attributes.photo }),
      },
    };
  },

  parseHTML() {
    return [{ tag: "figure[data-photo]" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", mergeAttributes(HTMLAttributes)];
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("figure");
      dom.className = "photo-figure-editor";
      dom.setAttribute("data-photo", node.attrs.photo);
      dom.contentEditable = "false";
      const info = photos() && photos().describe(node.attrs.photo);
      if (info && info.thumb) {
        const img = document.createElement("img");
        img.src = info.thumb;
        img.alt = "";
        dom.append(img);
      }
      const caption = document.createElement("figcaption");
      caption.textContent = info
        ? [info.caption, info.credit].filter(Boolean).join(" ") || `Photo ${node.attrs.photo}`
        : `Photo ${node.attrs.photo} (not among this story's photos: attach it or remove this figure)`;
      dom.append(caption);
      return { dom };
    };
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "photoFigure",
      groups: "nodes",
      button: buttons.text("Photo"),
      command(editor) {
        if (photos()) {
          photos().chooseForBody(editor);
        }
      },
    });
  },

  addProseMirrorPlugins() {
    const editor = this.editor;
    return [
      new Plugin({
        props: {
          handlePaste(view, event) {
            const files = imageFiles(event.clipboardData);
            if (files.length && photos()) {
              photos().uploadForBody(editor, files);
              return true;
            }
            const html = (event.clipboardData && event.clipboardData.getData("text/html")) || "";
            const images = (html.match(/<img\b/gi) || []).length;
            if (images && photos()) {
              photos().warnDroppedImages(images); // the text itself is pasted as usual
            }
            return false;
          },
          handleDrop(view, event) {
            const files = imageFiles(event.dataTransfer);
            if (files.length && photos()) {
              event.preventDefault();
              photos().uploadForBody(editor, files);
              return true;
            }
            return false;
          },
        },
      }),
    ];
  },
});
