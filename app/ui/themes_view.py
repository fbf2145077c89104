"""The Themes view: for one guide question (or theme tag), the quotes that answer it (or carry it) in the
interviews the list shows, grouped by meaning, each group with a label from its quotes' words and "n of N interviews".

Grouping runs the sentence model, so it is done on the thread pool, when the view is shown or another
question is chosen (and again only if the question or the listed interviews changed). The user then edits
the groups: rename (F2), merge the selected groups (Ctrl+M), split the selected quotes off into a group of
their own (S), move a quote to another group (M), tag a group's quotes with one of the guide's themes (T)
or make the group a new theme of the guide (Shift+T, or the button); each on the view's own undo stack
(Edit ▸ Undo while the view is shown). The groups as edited are kept in the library
(`services/theme_groups.py`), so they are there again after a restart. Enter on a quote opens its
interview at that moment.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.timecode import clock
from app.domain.wording import readable_name
from app.library.errors import LibraryError
from app.services.analysis import AnalysisUnavailable
from app.services.tagging import Tagger, parsed_guide
from app.services.theme_groups import keep, themes
from app.services.theme_tags import tag_group, untag_group
from app.ui.quote_bar import excerpt, question_label
from app.ui.theme_edits import Groups, GroupsEdit, merged, moved, renamed, split
from app.ui.undo import ChangeCommand

if TYPE_CHECKING:
    from app.library import Library
    from app.ui.analysis_tasks import AnalysisTasks
    from app.ui.undo_history import UndoHistory

GROUPING = "Grouping the answers by meaning…"
NO_GUIDE = "No interview follows a guide yet: choose a guide for an interview and file its answers first."
KEYS_HINT = (
    "F2 renames · Ctrl+M merges the selected groups · S splits the selected quotes off · M moves a quote · "
    "T tags a group · Shift+T makes it a theme · Enter opens"
)
QUOTE_ROLE = Qt.ItemDataRole.UserRole + 1


class ThemesView(QWidget):
    quote_activated = Signal(int, int)
    """(interview id, ms): open the interview there."""

    def __init__(
        self,
        library: Library,
        tasks: AnalysisTasks,
        history: UndoHistory,
        shown_interviews: Callable[[], list[int]],
        edited: Callable[[int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("themesView")
        self._library, self._tasks, self._history = library, tasks, history
        self._shown_interviews, self._edited = shown_interviews, edited
        self._tagger = Tagger(library)
        self.undo_stack = QUndoStack(self)
        history.add_stack(self.undo_stack)
        self.groups: Groups = ()
        self.considered = 0
        """N: the interviews the groups were drawn from."""
        self._grouped: object = None
        self._request = 0

        self.question = QComboBox()
        self.question.setObjectName("themesQuestion")
        # Long wordings would widen the bar past the summary beside it: the choice is cut, the list is not.
        self.question.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.question.setMinimumContentsLength(40)
        self.question.activated.connect(lambda _index: self.regroup())
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("themesTree")
        self.tree.setHeaderHidden(True)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.itemChanged.connect(self._label_edited)
        self.tree.itemActivated.connect(self._activated)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.rename_action = self._action("&Rename group", "F2", self._rename)
        self.merge_action = self._action("&Merge selected groups", "Ctrl+M", self.merge_selected)
        self.split_action = self._action("&Split selected quotes off", "S", self.split_selected)
        self.move_action = self._action(
            "Move &quote to…", "M", lambda: self.move_menu().popup(self._popup_at())
        )
        self.tag_action = self._action(
            "&Tag group as theme…", "T", lambda: self.tag_menu().popup(self._popup_at())
        )
        self.make_theme_action = self._action("Make group a &new theme", "Shift+T", self.make_theme)
        self.make_theme_button = QPushButton("Make a theme of this group")
        self.make_theme_button.setToolTip(
            "Adds a theme tag named after the group to the guide and tags its quotes (Shift+T)"
        )
        self.make_theme_button.clicked.connect(self.make_theme_action.trigger)
        hint = QLabel(KEYS_HINT)
        hint.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel("&Question or theme"))
        top.itemAt(0).widget().setBuddy(self.question)
        top.addWidget(self.question, 1)
        top.addWidget(self.summary)
        top.addWidget(self.make_theme_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addWidget(hint)

    # Grouping -----------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._history.show_stack(self.undo_stack)
        self._offer_questions()
        self.regroup(only_if_changed=True)

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._history.show_stack(None)

    def regroup(self, only_if_changed: bool = False) -> None:
        """Group the chosen question's quotes among the interviews the list shows, on the pool."""
        chosen = self.question.currentData()
        if chosen is None:
            self._say(NO_GUIDE)
            return
        basis = (chosen, tuple(self._shown_interviews()))
        if only_if_changed and basis == self._grouped:
            return
        self._grouped, self._request = basis, self._request + 1
        request, (slug, key, tag), among = self._request, chosen, set(basis[1])
        self._say(GROUPING)
        self._tasks.run(
            lambda analyst: themes(analyst, slug, key, among=among, tag=tag),
            lambda found: request == self._request and self._grouping_done(*found),
            lambda error: request == self._request and self._grouping_failed(error),
        )

    def _grouping_done(self, groups: list, considered: int) -> None:
        self.undo_stack.clear()  # edits were of the groups before
        self.considered = considered
        self.show_groups(tuple(groups))
        self.tree.setFocus()

    def _grouping_failed(self, error: Exception) -> None:
        self._grouped = None
        self.show_groups(())
        self._say(error.in_window if isinstance(error, AnalysisUnavailable) else f"Grouping failed: {error}")

    def _offer_questions(self) -> None:
        """Every question, then every theme tag, of the latest edition of each guide the library holds."""
        chosen = self.question.currentData()
        latest = {stored.slug: stored for stored in self._library.guides.all()}  # ordered by version
        self.question.clear()
        for slug, stored in sorted(latest.items(), key=lambda item: item[1].name.casefold()):
            guide = parsed_guide(stored)
            for number, question in enumerate(guide.questions, 1):
                label = f"{guide.name}: {question_label(number, question.text)}"
                self.question.addItem(label, (slug, question.key, None))
            for tag in guide.tags:
                self.question.addItem(
                    f"{guide.name}: tagged “{readable_name(tag.name)}”", (slug, None, tag.name)
                )
        # Not findData: it compares the Python tuples by identity, so every showing chose the first question.
        offered = [self.question.itemData(index) for index in range(self.question.count())]
        self.question.setCurrentIndex(offered.index(chosen) if chosen in offered else 0)

    # Showing ------------------------------------------------------------------------------------

    def show_groups(self, groups: Groups) -> None:
        """The groups as a tree: each group, then its quotes with their interview and moment."""
        self.groups = groups
        titles = {
            i.id: i.title
            for i in self._library.interviews.many(sorted({q[1] for g in groups for q in g.quotes}))
        }
        self.tree.blockSignals(True)
        self.tree.clear()
        for index, group in enumerate(groups):
            item = QTreeWidgetItem([self.group_text(group)])
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            for quote_id, interview_id, start_ms, text in group.quotes:
                # Who and when first: a long quote is cut at its end (whole in the tooltip), never its source.
                child = QTreeWidgetItem(
                    [f"{titles.get(interview_id, '')}, {clock(start_ms)} — “{excerpt(text, 240)}”"]
                )
                child.setData(0, QUOTE_ROLE, (quote_id, interview_id, start_ms))
                child.setToolTip(0, f"<p>{html.escape(text)}</p>")  # the whole quote, as rich text to wrap
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
        self.tree.blockSignals(False)
        self.summary.clear()
        if groups:
            self.message.hide()
            self.summary.setText(f"{len(groups)} groups from {self.considered} interviews")
            self.tree.setCurrentItem(self.tree.topLevelItem(0))

    def group_text(self, group) -> str:
        return f"{group.label} — {group.interviews} of {self.considered} interviews"

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # Edits --------------------------------------------------------------------------------------

    def _edit(self, description: str, after: Groups) -> None:
        chosen = self.question.currentData()
        self.undo_stack.push(
            GroupsEdit(description, self.groups, after, lambda groups: self._keep_and_show(chosen, groups))
        )

    def _keep_and_show(self, chosen: tuple, groups: Groups) -> None:
        """Store the groups as edited (or as an undo left them) for their question, and show them."""
        slug, key, tag = chosen
        keep(self._library, slug, key, tag, groups)
        self.show_groups(groups)

    def _rename(self) -> None:
        item = self.tree.currentItem()
        if item is not None and item.parent() is not None:
            item = item.parent()
        if item is not None:
            self.tree.blockSignals(True)  # the label alone to edit, without its count
            item.setText(0, self.groups[item.data(0, Qt.ItemDataRole.UserRole)].label)
            self.tree.blockSignals(False)
            self.tree.editItem(item)

    def _label_edited(self, item: QTreeWidgetItem) -> None:
        index = item.data(0, Qt.ItemDataRole.UserRole)
        label = item.text(0).strip()
        if index is None or not label or label == self.groups[index].label:
            self.show_groups(self.groups)  # unchanged: back to the label with its count
            return
        self._edit(f"Rename group to “{label}”", renamed(self.groups, index, label))

    def merge_selected(self) -> None:
        indexes = sorted({self._group_index(item) for item in self.tree.selectedItems()})
        if len(indexes) >= 2:
            self._edit(f"Merge {len(indexes)} groups", merged(self.groups, indexes))

    def split_selected(self) -> None:
        """The selected quotes of the current quote's group become a group of their own."""
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            return
        index = self._group_index(item)
        chosen = {
            one.data(0, QUOTE_ROLE)[0]
            for one in self.tree.selectedItems()
            if one.parent() is not None and self._group_index(one) == index
        }
        after = split(self.groups, index, chosen)
        if after != self.groups:
            self._edit(f"Split {len(chosen)} quotes off “{self.groups[index].label}”", after)

    def move_menu(self) -> QMenu:
        """The groups the current quote can move to."""
        menu = QMenu(self)
        item = self.tree.currentItem()
        if item is None or item.parent() is None:
            menu.addAction("Choose a quote first").setEnabled(False)
            return menu
        source, quote_id = self._group_index(item), item.data(0, QUOTE_ROLE)[0]
        for target, group in enumerate(self.groups):
            if target != source:
                menu.addAction(
                    group.label,
                    lambda target=target: self._edit(
                        f"Move quote to “{self.groups[target].label}”",
                        moved(self.groups, quote_id, source, target),
                    ),
                )
        return menu

    def tag_menu(self) -> QMenu:
        """The guide's theme tags the current group's quotes can be given."""
        menu = QMenu(self)
        item, chosen = self.tree.currentItem(), self.question.currentData()
        stored = self._library.guides.latest(chosen[0]) if chosen else None
        tags = parsed_guide(stored).tags if stored else ()
        if item is None or not tags:
            menu.addAction("This guide has no theme tags").setEnabled(False)
            return menu
        index = self._group_index(item)
        for tag in tags:
            menu.addAction(readable_name(tag.name), lambda tag=tag.name: self.tag_group(index, tag))
        return menu

    def tag_group(self, index: int, tag: str) -> None:
        """Give every quote of group `index` the tag (one undoable step); a refusal undoes the part done."""
        quotes = self._tagger
        done = []
        try:
            for quote_id, *_ in self.groups[index].quotes:
                quote = self._library.quotes.get(quote_id)
                if tag not in quote.tags:
                    quotes.update_quote(quote_id, tags=(*quote.tags, tag))
                    done.append(quote)
        except LibraryError as error:
            for quote in done:
                quotes.update_quote(quote.id, tags=quote.tags)
            self._say(str(error))
            return

        def retag(with_tag: bool) -> None:
            for quote in done:
                quotes.update_quote(quote.id, tags=(*quote.tags, tag) if with_tag else quote.tags)

        def show(_interview_id: int) -> None:  # the board, transcript and chips of each interview touched
            for interview_id in {quote.interview_id for quote in done}:
                self._edited(interview_id)

        description = f"Tag {len(done)} quotes “{readable_name(tag)}”"
        self.undo_stack.push(ChangeCommand(description, 0, lambda: retag(True), lambda: retag(False), show))

    def make_theme(self) -> None:
        """The current group becomes a theme tag of the guide, named after its label, on all its quotes."""
        item, chosen = self.tree.currentItem(), self.question.currentData()
        if item is None or chosen is None:
            self._say("Choose a group first.")
            return
        group = self.groups[self._group_index(item)]
        slug, ids = chosen[0], [quote[0] for quote in group.quotes]
        try:
            done = [tag_group(self._library, slug, group.label, ids)]
        except LibraryError as error:
            self._say(str(error))
            return

        def retag() -> None:
            done[0] = tag_group(self._library, slug, group.label, ids)
            self._say(done[0].summary)

        def untag() -> None:
            theme, edition, added = readable_name(done[0].tag), done[0].edition, done[0].added
            said = f"Undone: “{theme}” is off the group's quotes"
            if untag_group(self._library, done[0]):
                said += " and out of the guide again"
            elif added:
                said += f"; it stays in {edition.name} v{edition.version}, which is in use now"
            self._say(said + ".")

        def show(_interview_id: int) -> None:
            for interview_id in done[0].interviews:
                self._edited(interview_id)
            self._offer_questions()

        self._say(done[0].summary)
        self.undo_stack.push(ChangeCommand(f"Make “{group.label}” a theme", 0, retag, untag, show))

    def _group_index(self, item: QTreeWidgetItem) -> int:
        return (item.parent() or item).data(0, Qt.ItemDataRole.UserRole)

    def _activated(self, item: QTreeWidgetItem) -> None:
        quote = item.data(0, QUOTE_ROLE)
        if quote is not None:
            self.quote_activated.emit(quote[1], quote[2])

    def _action(self, text: str, key: str, slot) -> QAction:
        action = QAction(text, self.tree)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.tree.addAction(action)
        return action

    def _popup_at(self):
        rect = (
            self.tree.visualItemRect(self.tree.currentItem()) if self.tree.currentItem() else self.tree.rect()
        )
        return self.tree.viewport().mapToGlobal(rect.bottomLeft())
