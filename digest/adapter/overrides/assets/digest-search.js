// newsdigest: gives the header's search input (Pagefind's <pagefind-searchbox>, see
// partials/digest-search.html) an accessible name of its own; a placeholder disappears
// as soon as one types.
document.querySelectorAll(".nd-search pagefind-searchbox").forEach((box) => {
  const input = box.querySelector("input");
  if (input) input.setAttribute("aria-label", box.dataset.ndLabel || "Search");
});
