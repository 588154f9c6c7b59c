// The console's search results: "Show older results" adds the next page below the list (htmx).
// The focus then goes to the first result added, so a keyboard or screen-reader user carries on
// where the new results begin instead of starting again from the top of the page.

document.body.addEventListener("htmx:afterSettle", (event) => {
  if (event.target.id !== "search-results") return;
  const starts = event.target.querySelectorAll("[data-first-of-page]");
  const first = starts[starts.length - 1];
  const link = first && first.querySelector("a[href^='/console/conversations/']");
  if (link) link.focus();
});
