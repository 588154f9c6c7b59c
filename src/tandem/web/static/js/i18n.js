// The page's language for scripts: the server renders the translations of the texts a page's
// scripts use in <script type="application/json" id="ui-texts"> (web/translations.py), from
// the same catalogue as the templates. A text without a translation reads as written (English).
// Texts name their values like the templates do: gettext("Hello %(name)s", { name }).
// Amounts with units go through Intl (NumberFormat with a unit), which knows each language's plurals.

export const language = document.documentElement.lang || "en";

function read(elementId) {
  const block = document.getElementById(elementId);
  return block ? JSON.parse(block.textContent) : {};
}

function translator(texts) {
  return (message, values = {}) => {
    const text = Object.hasOwn(texts, message) ? texts[message] : message;
    return text.replace(/%\((\w+)\)s|%%/g, (match, name) => {
      if (match === "%%") return "%";
      return Object.hasOwn(values, name) ? String(values[name]) : match;
    });
  };
}

export const gettext = translator(read("ui-texts"));

// A script of a fragment shared by several pages (console/_sla.html) reads its own block.
export function gettextFrom(elementId) {
  return translator(read(elementId));
}
