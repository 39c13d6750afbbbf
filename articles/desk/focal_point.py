"""The focal point picker of the desk's article form: the two fractions are plain number
fields (they work without JavaScript and are checked on the server, 0 to 1); our script
(static/js/focal-point.js) adds the image to click on and previews of the crops readers and
social networks will get, for the stored image or one just chosen and not yet uploaded."""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.media.focal import CENTRE, PAGE_RATIO, SHARE_RATIO


class FocalPointField(forms.FloatField):
    """One axis of the focal point: 0 to 1 (the model's validators say so in Arabic). Not
    required: a form posted without the field keeps the stored point; emptied, it is the
    centre (`FocalPointInput.value_from_datadict`)."""

    def __init__(self, **kwargs):
        kwargs["required"] = False
        super().__init__(**kwargs)


class FocalPointInput(forms.NumberInput):
    """One axis of the focal point. The `x` input carries the picker's labels, in the desk's
    language, and the frames it previews (the same ratios the renditions are cut to)."""

    def __init__(self, axis: str, attrs=None):
        base = {"step": "0.001", "min": "0", "max": "1", "data-focal-axis": axis}
        if axis == "x":
            base.update(
                {
                    "data-page-ratio": f"{PAGE_RATIO:.6f}",
                    "data-share-ratio": f"{SHARE_RATIO:.6f}",
                    "data-label-stage": _(
                        "Lead image: click the point that must stay in frame; arrow keys move it."
                    ),
                    "data-label-page": _("On pages"),
                    "data-label-share": _("When shared"),
                }
            )
        super().__init__(attrs={**base, **(attrs or {})})

    def value_from_datadict(self, data, files, name):
        value = super().value_from_datadict(data, files, name)
        if name in data and (value is None or not str(value).strip()):
            return str(CENTRE.x)  # emptied by the editor: the centre
        return value

    class Media:
        css = {"all": ["css/desk.css"]}
        js = ["js/focal-point.js"]
