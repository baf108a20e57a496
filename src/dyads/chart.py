"""Charts of ``dyads trend`` and ``dyads shifts`` (matplotlib, no display): PNG or SVG by the suffix."""

from __future__ import annotations

from pathlib import Path

from dyads.analysis import Shift

COOPERATION, CONFLICT, NEUTRAL = "#2e7d32", "#c62828", "#455a64"


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return plt, fig, ax


def trend_chart(rows: list[dict], title: str, path: Path) -> None:
    """Cooperation above the axis, conflict below it, per period; the mean Goldstein score as a line."""
    plt, fig, ax = _figure(9, 4.5)
    x = list(range(len(rows)))
    ax.bar(x, [r["cooperation"] for r in rows], color=COOPERATION, label="cooperation (events)")
    ax.bar(x, [-r["conflict"] for r in rows], color=CONFLICT, label="conflict (events)")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel("events: cooperation ↑  conflict ↓")
    monthly = all(r["period"].endswith("-01") for r in rows)
    labels = [r["period"][:7] if monthly else r["period"] for r in rows]
    step = max(1, len(rows) // 24)  # at most about 24 labels
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    line = ax.twinx()
    goldstein = [float("nan") if r["goldstein"] is None else r["goldstein"] for r in rows]
    line.plot(x, goldstein, color=NEUTRAL, marker="o", label="mean Goldstein")
    line.set_ylim(-10.5, 10.5)
    line.set_ylabel("mean Goldstein (-10 conflict … +10 cooperation)")
    line.spines["top"].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + line.get_legend_handles_labels()[0]
    fig.legend(
        handles, [h.get_label() for h in handles], loc="lower center", ncol=3, fontsize=8, frameon=False
    )
    ax.set_title(title)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path)
    plt.close(fig)


def shifts_chart(found: list[Shift], title: str, path: Path) -> None:
    """One arrow per pair, from its mean Goldstein in the first period to the second; green toward
    cooperation, red toward conflict; the biggest change on top."""
    plt, fig, ax = _figure(9, 1.2 + 0.5 * max(len(found), 1))
    for y, s in enumerate(reversed(found)):
        was, now = s.before["goldstein"], s.after["goldstein"]
        colour = COOPERATION if s.change >= 0 else CONFLICT
        ax.annotate(
            "", xy=(now, y), xytext=(was, y), arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.5}
        )
        ax.plot([was], [y], "o", color=NEUTRAL, markersize=5)
        label = f"{s.change:+.1f}  ({s.before['events']} → {s.after['events']} events)"
        ax.text(10.8, y, label, va="center", fontsize=8, color=colour)
    ax.set_yticks(range(len(found)), [" – ".join(s.pair) for s in reversed(found)])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlim(-10.5, 10.5)
    ax.set_xlabel("mean Goldstein of the pair's events (• first period, ▸ second): conflict ← → cooperation")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
