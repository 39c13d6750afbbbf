// The article form's tags field: while an editor types a tag, ask the desk whether the tag
// already exists under another spelling (غزه for غزة, #غزة, الغزة …: the Arabic tag key of
// articles/text/arabic.py) and offer it, so that no near-duplicate tag is made.
// The URL and the labels come from the field's data- attributes (translated on the server).
;(() => {
  "use strict"

  const WAIT_MS = 250

  // The comma-separated token under the caret: its text and where it starts and ends.
  const tokenAt = (value, caret) => {
    const start = value.lastIndexOf(",", caret - 1) + 1
    const comma = value.indexOf(",", caret)
    const end = comma === -1 ? value.length : comma
    return { text: value.slice(start, end).trim().replace(/^"|"$/g, ""), start, end }
  }

  const setUp = (input) => {
    const box = document.createElement("div")
    box.className = "tag-suggest"
    box.setAttribute("role", "status")
    box.setAttribute("aria-live", "polite")
    box.hidden = true
    input.insertAdjacentElement("afterend", box)

    let timer = null
    let asked = ""

    const show = (token, suggestions) => {
      box.replaceChildren()
      if (!suggestions.length) {
        box.hidden = true
        return
      }
      const label = document.createElement("span")
      label.className = "tag-suggest__label"
      label.textContent = input.dataset.tagSuggestLabel.replace("%s", token.text)
      box.append(label)
      for (const suggestion of suggestions) {
        const button = document.createElement("button")
        button.type = "button"
        button.className = "tag-suggest__use"
        button.textContent = input.dataset.tagSuggestUse
          .replace("%(name)s", suggestion.name)
          .replace("%(count)s", suggestion.articles)
        button.dataset.name = suggestion.name
        button.addEventListener("click", () => {
          const value = input.value
          const name = suggestion.name.includes(",") ? `"${suggestion.name}"` : suggestion.name
          const before = value.slice(0, token.start)
          const after = value.slice(token.end)
          input.value = `${before}${before && !before.endsWith(" ") ? " " : ""}${name}${after}`
          box.hidden = true
          box.replaceChildren()
          input.focus()
        })
        box.append(button)
      }
      box.hidden = false
    }

    const ask = async () => {
      const token = tokenAt(input.value, input.selectionStart ?? input.value.length)
      if (token.text.length < 2) {
        show(token, [])
        return
      }
      asked = token.text
      const url = new URL(input.dataset.tagSuggestUrl, window.location.href)
      url.searchParams.set("q", token.text)
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } })
        if (!response.ok) return
        const data = await response.json()
        if (asked === token.text) show(token, data.suggestions || [])
      } catch {
        // The desk keeps working without suggestions (offline, signed out).
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(ask, WAIT_MS)
    })
  }

  const start = () => {
    for (const input of document.querySelectorAll("input[data-tag-suggest-url]")) setUp(input)
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start)
  else start()
})()
