// Search ranking of the site: Sphinx's defaults, except that a glossary entry (an index entry
// that matches the query exactly scores 100 by default and so always came first) now ranks
// below a chapter section named after the term, so a search for "backpropagation" opens the
// chapter that teaches it; the definition follows right after.
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score, filename, kind] = result;
    if (kind === "index" && docname === "glossary") {
      return 8;
    }
    return score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: {
    0: 15,
    1: 5,
    2: -5,
  },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
