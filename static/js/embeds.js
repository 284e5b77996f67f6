// Click-to-load embeds (articles/embeds.py). The page holds only our own figure: a title, a link and
// the provider's name. Nothing is requested from the provider until the reader presses the button;
// only then is the iframe made, on an address the server checked against the provider's frame
// origins (and the CSP's frame-src allows exactly those origins).
for (const figure of document.querySelectorAll("figure.embed[data-embed-frame]")) {
  const frame = figure.dataset.embedFrame || ""
  if (!frame.startsWith("https://")) continue
  const provider = (figure.querySelector("figcaption")?.textContent || "").trim() || "external"
  const title = figure.dataset.embedTitle || `${provider} content`

  const placeholder = document.createElement("div")
  placeholder.className = "embed__placeholder"
  const button = document.createElement("button")
  button.type = "button"
  button.className = "embed__load"
  button.textContent = `Load ${provider} content`
  button.setAttribute("aria-label", `Load ${provider} content: ${title}`)
  const privacy = document.createElement("p")
  privacy.className = "embed__privacy"
  privacy.textContent = `Loading it connects to ${provider}, which may set cookies and record your visit.`
  placeholder.append(button, privacy)
  figure.prepend(placeholder)

  button.addEventListener("click", () => {
    const iframe = document.createElement("iframe")
    iframe.className = "embed__frame"
    iframe.title = title
    iframe.allow = "fullscreen; picture-in-picture; encrypted-media; clipboard-write"
    iframe.referrerPolicy = "strict-origin-when-cross-origin"
    iframe.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation")
    iframe.src = frame
    placeholder.replaceWith(iframe)
    figure.classList.add("embed--loaded")
  })
}
