/*
 * The order a labeler builds over K responses, best first, and the ranks it stands for: ranks[i] is the position
 * of response i (0 = best). A pick tied with the one before it shares that one's rank, the way the trainer's
 * comparisons mark ties (equal ranks make no pair).
 */
'use strict';

class RankOrder {
  constructor(k, ties) {
    this.k = k;
    this.ties = ties;
    this.picks = []; // {index, tied}, best first
  }

  has(index) {
    return this.picks.some((p) => p.index === index);
  }

  /** Places response `index` next, tied with the previous pick if asked. @return false when it cannot go there */
  pick(index, tied) {
    if (index < 0 || index >= this.k || this.has(index) || (tied && (!this.ties || this.picks.length === 0))) {
      return false;
    }
    this.picks.push({ index, tied: Boolean(tied) });
    return true;
  }

  undo() {
    this.picks.pop();
  }

  complete() {
    return this.picks.length === this.k;
  }

  /** ranks[i] for every response, null for those not placed yet. */
  ranks() {
    const ranks = new Array(this.k).fill(null);
    let rank = 0;
    this.picks.forEach((p, position) => {
      rank = p.tied ? rank : position;
      ranks[p.index] = rank;
    });
    return ranks;
  }

  /** The order as the cards number the responses, e.g. "3 > 1 = 4". */
  toString() {
    return this.picks.map((p, i) => (i === 0 ? '' : p.tied ? ' = ' : ' > ') + (p.index + 1)).join('');
  }
}
