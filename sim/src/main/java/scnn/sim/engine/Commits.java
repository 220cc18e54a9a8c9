package scnn.sim.engine;

/**
 * The clock edge of a program: per state node (in commit order) a range of (current, next) signal
 * pairs and the signal of its scalar enable ({@link Program#C1} when always enabled).
 *
 * @param cur       slot of each committed bit's current value
 * @param next      signal of each committed bit's next value
 * @param nodeStart per state node, the first pair (one more entry: the end)
 * @param node      per state node, its IR node id
 * @param enable    per state node, the signal of its scalar enable
 */
record Commits(int[] cur, int[] next, int[] nodeStart, int[] node, int[] enable) {
    int nodes() {
        return node.length;
    }
}
