"""The review screen's attribution keys: accept, reject, kind, reason, who the source
is, re-pointing, and attributions made by hand.

The attribution a key acts on is the focused one, else the one in hand (the last
tabbed to or made, kept while the reviewer moves to other sentences, so content and
source may lie in different sentences), else the one that links the focused span.
"""

from annotator.core import attribution_actions, review
from annotator.core.review import AttributionView
from annotator.tui import history
from annotator.tui.review_keys import ATTRIBUTION_KIND_CHOICES, ROLE_CHOICES
from annotator.tui.screens.name_picker import NamePickerScreen
from annotator.tui.screens.note import NoteScreen


class AttributionKeys:
    """Mixed into ReviewScreen, whose state (view, focus, selection) it reads."""

    @property
    def focused_attribution(self) -> AttributionView | None:
        if self.view is None or not self.focused_item or self.focused_item[0] != "attribution":
            return None
        return next((a for a in self.view.attributions if a.id == self.focused_item[1]), None)

    def target_attribution(self) -> int | None:
        """The id of the attribution the key acts on; says why when there is none."""
        if self.focused_attribution is not None:
            return self.focused_attribution.id
        if self.in_hand is not None:
            return self.in_hand
        if self.view is not None and self.focused_span_id is not None:
            for attribution in self.view.attributions:
                if self.focused_span_id in attribution.span_ids:
                    return attribution.id
        self.say("no attribution: tab to one, or make one with N")
        self.app.bell()
        return None

    def _shown(self, attribution_id: int) -> AttributionView | None:
        if self.view is None:
            return None
        return next((a for a in self.view.attributions if a.id == attribution_id), None)

    def _changed(self, outcome) -> None:
        if outcome:
            self._done(self.store_words(outcome))

    def decide_attribution(self, status: str) -> None:
        attribution = self.focused_attribution
        if attribution is None:
            return
        outcome = self._act(attribution_actions.set_attribution_status, attribution.id, status)
        if outcome:
            self._focus_next_pending(after=("attribution", attribution.id))
            self._decided(self.store_words(outcome))

    def action_attribution_kind(self) -> None:
        attribution_id = self.target_attribution()
        if attribution_id is None:
            return
        shown = self._shown(attribution_id)

        def chosen(kind) -> None:
            self._changed(self._act(attribution_actions.set_attribution_kind, attribution_id, kind))

        current = shown.kind if shown else None
        history.pick(self, "Attribution kind", ATTRIBUTION_KIND_CHOICES, current, chosen)

    def action_attribution_reason(self) -> None:
        attribution_id = self.target_attribution()
        if attribution_id is None:
            return
        shown = self._shown(attribution_id)

        def typed(reason) -> None:
            if reason is not None:
                self._changed(
                    self._act(attribution_actions.set_attribution_reason, attribution_id, reason)
                )

        self.app.push_screen(
            NoteScreen(
                "Why the source is anonymous (as the text says it)",
                shown.reason if shown else None,
                placeholder="declined to be named…",
                hint="enter: save · empty clears the reason · escape: cancel",
            ),
            typed,
        )

    def action_attribution_resolve(self) -> None:
        attribution_id = self.target_attribution()
        if attribution_id is None or self.view is None:
            return
        shown = self._shown(attribution_id)
        names = review.document_names(self.store, self.view.document_id)

        def chosen(name) -> None:
            if name is not None:
                self._changed(
                    self._act(attribution_actions.resolve_attribution, attribution_id, name)
                )

        self.app.push_screen(
            NamePickerScreen(
                "Who the source is (a name of this document, or type one)",
                names,
                shown.resolved_to if shown else None,
            ),
            chosen,
        )

    def action_attribution_repoint(self) -> None:
        attribution_id = self.target_attribution()
        if attribution_id is None or self.view is None:
            return
        selection = self.selection
        span = self.focused_span
        if selection is None and span is None:
            self.say("nothing to point at: select text (v) or tab to a span first")
            self.app.bell()
            return
        sentence_id = self.view.id
        default = {"SOURCE": "source", "CUE": "cue"}.get(span.label, "content") if span else None

        def chosen(role) -> None:
            if selection is not None:
                target = {"selection": (sentence_id, *selection)}
            else:
                target = {"span_id": span.id}
            outcome = self._act(
                attribution_actions.repoint_attribution, attribution_id, role, **target
            )
            if outcome:
                self.place.clear()
                self.focused_item = ("attribution", attribution_id)
                self._changed(outcome)

        what = "the selection" if selection is not None else f"the {span.label} span"
        history.pick(self, f"Point the attribution's … at {what}", ROLE_CHOICES, default, chosen)

    def action_attribution_new(self) -> None:
        if self.view is None:
            return
        selection = self.selection
        span = self.focused_span
        if selection is not None:
            target = {"content": (self.view.id, *selection)}
        elif span is not None:
            target = {"content_span_id": span.id}
        else:
            self.say("select the content (v) or tab to its span, then N")
            self.app.bell()
            return
        outcome = self._act(attribution_actions.add_attribution, **target)
        if outcome:
            self.place.clear()
            self.in_hand = attribution_actions.made_attribution(self.store, outcome)
            self.focused_item = ("attribution", self.in_hand)
            self.redraw()
            self.saved(
                self.store_words(outcome),
                then="in hand: P points its source and cue (any sentence), t sets its kind",
            )
