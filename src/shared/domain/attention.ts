/**
 * What counts as attention, by default (the person can change both thresholds in the options page): without input for
 * `idleSeconds`, attention ends; on a video surface on screen, it lasts `passiveSeconds` after the last input, because
 * people watch reels and stories without touching anything. The one place these defaults are written: the stored
 * settings, the export file and the content script's meter all take them from here.
 */
export const defaultIdleSeconds = 60;
export const defaultPassiveSeconds = 180;
