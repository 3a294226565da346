"""Character sets AWS enforces on text the components send it, checked before anything is
registered (mocks accept anything; EC2 and S3 do not)."""

from __future__ import annotations

import re

import regex

# EC2 security group and rule descriptions (EC2 API reference, AuthorizeSecurityGroupIngress).
_EC2_DESCRIPTION = re.compile(r"[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]{0,255}")
# Tag values every service accepts (botocore s3control S3Tag; S3's own model says nothing).
_TAG_VALUE = regex.compile(r"[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}")


def ec2_description(text: str) -> str:
    """``text`` if EC2 accepts it as a security group or rule description, else ValueError."""
    if not _EC2_DESCRIPTION.fullmatch(text):
        raise ValueError(
            f"EC2 refuses the description {text!r}: up to 255 of a-z A-Z 0-9, spaces and ._-:/()#,@[]+=&;{{}}!$*"
        )
    return text


def tag_value(text: str) -> str:
    """``text`` if every service (S3 included) accepts it as a tag value, else ValueError."""
    if not _TAG_VALUE.fullmatch(text):
        raise ValueError(f"AWS refuses the tag value {text!r}: up to 256 letters, digits, spaces and _.:/=+-@")
    return text
