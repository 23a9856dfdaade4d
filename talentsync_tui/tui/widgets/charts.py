"""Plotext charts: per-question score bars and the score trend over sessions."""

from __future__ import annotations

from textual_plotext import PlotextPlot


class ScoreBars(PlotextPlot):
    """A bar per question: its score out of 100."""

    def on_mount(self) -> None:
        self.border_title = "Score per question"

    def plot(self, labels: list[str], scores: list[float]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if scores:
            plt.bar(labels, scores, width=0.6)
        plt.ylim(0, 100)
        self.refresh()


class TrendChart(PlotextPlot):
    """Average score per session, oldest to newest."""

    def on_mount(self) -> None:
        self.border_title = "Average score per session"

    def plot(self, labels: list[str], scores: list[float]) -> None:
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        if scores:
            xs = list(range(1, len(scores) + 1))
            plt.plot(xs, scores, marker="hd")
            plt.xticks(xs, labels)
        plt.ylim(0, 100)
        self.refresh()
