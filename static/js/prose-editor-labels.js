// The desk's rich-text editor (django-prose-editor) in the desk's language.
//
// The editor's dialogs (link: URL, title, Update, Cancel…) already go through Django's
// JavaScript catalogue (window.gettext, loaded by the admin's change form from /admin/jsi18n/).
// Its menu buttons carry fixed English titles ("bold", "heading 2", "undo"…); this extension
// puts them through the same catalogue. Translations: locale/ar/LC_MESSAGES/djangojs.po.
import { Extension, gettext } from "django-prose-editor/editor"

const interpolate = window.interpolate || ((format, values) => format.replace("%s", values[0]))

// The English strings django-prose-editor 0.28 shows, so that `makemessages -d djangojs`
// finds them. The editor itself translates the dialog strings; the menu titles are ours to do.
const MENU_TITLES = {
  paragraph: gettext("paragraph"),
  Paragraph: gettext("Paragraph"),
  bold: gettext("bold"),
  italic: gettext("italic"),
  "unordered list": gettext("unordered list"),
  "ordered list": gettext("ordered list"),
  blockquote: gettext("blockquote"),
  "horizontal rule": gettext("horizontal rule"),
  "insert link": gettext("insert link"),
  "remove link": gettext("remove link"),
  undo: gettext("undo"),
  redo: gettext("redo"),
}
const HEADING = /^heading (\d)$/i
// Translated by the editor when a dialog opens; listed here for makemessages only.
const gettext_noop = (text) => text
gettext_noop("Edit Link")
gettext_noop("URL")
gettext_noop("Title")
gettext_noop("Update")
gettext_noop("Cancel")

const translate = (text) => {
  const heading = HEADING.exec(text)
  if (heading) return interpolate(gettext("heading %s"), [heading[1]])
  return MENU_TITLES[text] ?? text
}

const relabel = (element) => {
  if (!element) return
  if (element.title) element.title = translate(element.title)
  const label = element.getAttribute("aria-label")
  if (label) element.setAttribute("aria-label", translate(label))
  // Dropdown options ("Heading 2", "Paragraph") are text, not titles.
  if (!element.title && !label && element.textContent) {
    element.textContent = translate(element.textContent)
  }
}

export const DeskLabels = Extension.create({
  name: "deskLabels",
  // Lowest priority: runs after every other extension has defined its menu items.
  priority: 1,

  addMenuItems({ menu }) {
    const everyGroup = "blockType nodes lists headings marks link textAlign table history utility"
    for (const item of menu.items(everyGroup)) {
      relabel(item.button)
      relabel(item.option)
    }
  },
})
