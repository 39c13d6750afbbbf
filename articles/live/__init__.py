"""Live coverage (تغطية مباشرة) and corrections (تصحيح / تحديث): the models, their one write
path (`actions`), the reader queries (`queries`), the poll endpoint and fragments (`views`), the
desk's composer (`desk`). docs/live-and-corrections.md says how it behaves."""
