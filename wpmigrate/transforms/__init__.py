"""Body transforms: WordPress markup → normalized HTML → Markdown."""

from wpmigrate.transforms.body import BodyResult, convert_body, convert_html
from wpmigrate.transforms.context import TransformContext

__all__ = ["BodyResult", "TransformContext", "convert_body", "convert_html"]
