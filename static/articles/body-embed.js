// The body editor's node for embeds (articles/embeds.py): keeps <figure class="embed"> as one block
// while a story is edited, and writes it back exactly as the server made it. Embeds are made on
// save from a link pasted alone in a paragraph; in the editor they can be moved or deleted.
import { Node } from "django-prose-editor/editor"

const DATA = ["data-embed", "data-embed-frame", "data-embed-title", "data-embed-thumbnail"]

export const NewsroomEmbed = Node.create({
  name: "newsroomEmbed",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    const attributes = {
      href: { default: null, parseHTML: (element) => element.querySelector("a")?.getAttribute("href") ?? null },
      provider: { default: "", parseHTML: (element) => element.querySelector("figcaption")?.textContent ?? "" },
    }
    for (const name of DATA) {
      attributes[name] = { default: null, parseHTML: (element) => element.getAttribute(name) }
    }
    return attributes
  },

  parseHTML() {
    return [{ tag: "figure.embed" }]
  },

  renderHTML({ node }) {
    const figure = { class: "embed" }
    for (const name of DATA) {
      if (node.attrs[name]) figure[name] = node.attrs[name]
    }
    const title = node.attrs["data-embed-title"] || node.attrs.href || ""
    return ["figure", figure, ["a", { href: node.attrs.href }, title], ["figcaption", {}, node.attrs.provider || ""]]
  },
})
