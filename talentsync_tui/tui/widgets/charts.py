"""Plotext charts: per-question score bars and score trends over sessions."""

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
    """Average score per session, oldest to newest; or one line per module or tag."""

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

    def plot_series(self, labels: list[str], series: dict[str, list[tuple[int, float]]]) -> None:
        """One line per name: (session number 1..len(labels), score) points; gaps where a
        name had no answers in a session."""
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        for name, points in series.items():
            if points:
                plt.plot([x for x, _ in points], [y for _, y in points], marker="hd", label=name)
        if labels:
            xs = list(range(1, len(labels) + 1))
            plt.xticks(xs, labels)
        plt.ylim(0, 100)
        self.refresh()
