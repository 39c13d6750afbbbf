"""The code typed at the desk: six digits from the phone, or a backup code."""

from django import forms
from django.utils.translation import gettext_lazy as _

# Editors type on Arabic keyboards: Arabic-Indic and Persian digits are the same code.
_DIGITS = str.maketrans(
    {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
)


def clean_code(text: str) -> str:
    """The code as the devices compare it: digits made Western, spaces and dashes dropped,
    letters (backup codes) in lower case."""
    return "".join(text.translate(_DIGITS).split()).replace("-", "").lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autofocus": True,
                "dir": "ltr",
                "spellcheck": "false",
            }
        ),
        help_text=_("The six digits your authenticator app shows, or one of your backup codes."),
    )

    def clean_code(self):
        code = clean_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type the code."), code="required")
        return code
