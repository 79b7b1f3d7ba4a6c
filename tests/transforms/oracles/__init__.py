"""Verbatim copies of code that a faster version replaced, kept as the tests' oracles:
``wpautop_09d814e`` (wpautop before its fast paths), ``convert_418a1e5`` (the
HTML→Markdown modules before their shortcuts) and ``frontmatter_31bdab0`` (front
matter through PyYAML's representer and serializer). Imported like any test helper:
``from tests.transforms.oracles import wpautop_09d814e``."""
