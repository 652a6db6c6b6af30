"""The methods compared: our summariser, lead-k and sumy's classic extractors.

Every method takes an article (title, our sentences, budget k) and returns the
indices of the sentences it chose. Sumy is fed our sentences through its object
document model, with a regex word tokenizer and its data-free Snowball stemmer
and bundled stop-word list, so no NLTK data is needed (and none is downloaded).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from _bbc import Article

from digest.analysis.summarize import DEFAULT, SummaryParams, summarize

Method = Callable[[Article], tuple[int, ...]]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


class WordTokenizer:
    """The part of sumy's tokenizer interface its summarisers use."""

    language = "english"

    @staticmethod
    def to_words(sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))

    @staticmethod
    def to_sentences(paragraph: str) -> tuple[str, ...]:  # not used: sentences are ours
        raise NotImplementedError("sentences come from digest.analysis.text.split_sentences")


def digest_method(params: SummaryParams = DEFAULT) -> Method:
    def run(article: Article) -> tuple[int, ...]:
        return summarize(article.sentences, article.k, article.title, params)

    return run


def lead_method(article: Article) -> tuple[int, ...]:
    return tuple(range(article.k))


def _sumy_method(summarizer_class: type) -> Method:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    summarizer = summarizer_class(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = WordTokenizer()

    def run(article: Article) -> tuple[int, ...]:
        sentences = [Sentence(s, tokenizer) for s in article.sentences]
        document = ObjectDocumentModel([Paragraph(sentences)])
        position = {id(s): i for i, s in enumerate(sentences)}
        return tuple(sorted(position[id(s)] for s in summarizer(document, article.k)))

    return run


def methods(include_sumy: bool = True, params: SummaryParams = DEFAULT) -> dict[str, Method]:
    """All methods by table name, ours first."""
    table: dict[str, Method] = {"digest": digest_method(params), "lead-k": lead_method}
    if include_sumy:
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.luhn import LuhnSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer

        table.update({"lexrank": _sumy_method(LexRankSummarizer),
                      "textrank": _sumy_method(TextRankSummarizer),
                      "lsa": _sumy_method(LsaSummarizer),
                      "luhn": _sumy_method(LuhnSummarizer)})
    return table
