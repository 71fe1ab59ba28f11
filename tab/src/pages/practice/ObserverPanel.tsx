import { useEffect, useId, useRef } from 'react';
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Text, tokens } from '@fluentui/react-components';
import { BEHAVIOUR_INFO, BEHAVIOURS, UNDO_KEY, type Behaviour } from '../../../../service/src/domain/practice';
import { Heading } from '../../ui/Heading';
import { plural } from './words';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusLarge,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  head: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS },
  muted: { color: tokens.colorNeutralForeground2 },
  grid: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(min(100%, 240px), 1fr))',
    gap: tokens.spacingHorizontalS,
  },
  // Large targets (well over 44px) for a thumb on a phone during a conversation.
  tap: {
    minHeight: '88px',
    width: '100%',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    justifyContent: 'flex-start',
    gap: tokens.spacingVerticalXXS,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalL}`,
    textAlign: 'start',
    fontWeight: tokens.fontWeightRegular,
  },
  tapHead: { display: 'flex', width: '100%', justifyContent: 'space-between', alignItems: 'baseline', gap: tokens.spacingHorizontalS },
  tapLabel: { fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase400 },
  cue: { fontSize: tokens.fontSizeBase200, lineHeight: tokens.lineHeightBase200, color: tokens.colorNeutralForeground2 },
  key: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    padding: `0 ${tokens.spacingHorizontalXS}`,
    borderRadius: tokens.borderRadiusSmall,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
  undoRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  undo: { minHeight: '48px', minWidth: '160px' },
});

/** Shortcuts are for the panel, not for someone typing a note or a name. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export interface ObserverPanelProps {
  onTap: (code: Behaviour) => void;
  onUndo: () => void;
  /** The behaviour the next undo takes back, or null when there is nothing to undo. */
  undoable: Behaviour | null;
  /** What the last tap did, announced politely. */
  lastAction: string;
  /** Taps that could not be sent yet; shown while the connection is down. */
  waiting: number;
  /** The round's time is up: taps still count until the next round starts. */
  /** The round is over: its time ran out, or it was ended early ('ended'). */
  timeUp: boolean | 'ended';
}

/** The observer's coding panel: one large button per behaviour, undo, and keyboard shortcuts. */
export function ObserverPanel({ onTap, onUndo, undoable, lastAction, waiting, timeUp }: ObserverPanelProps) {
  const styles = useStyles();
  const headingId = useId();
  const ids = useId();
  const latest = useRef({ onTap, onUndo });
  latest.current = { onTap, onUndo };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const key = event.key.toLowerCase();
      const code = BEHAVIOURS.find((b) => BEHAVIOUR_INFO[b].key === key);
      if (key === UNDO_KEY) latest.current.onUndo();
      else if (code) latest.current.onTap(code);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.head}>
        <Heading level={2} id={headingId}>
          Observer panel
        </Heading>
        <Text className={styles.muted}>
          {timeUp
            ? `${timeUp === 'ended' ? 'The round was ended.' : 'Time is up.'} You can still correct the tally until the next round starts.`
            : 'Tap each behaviour of the person practising as you hear it. Keys work too: the letter on each button, and U to undo.'}
        </Text>
      </div>
      <div className={styles.grid} role="group" aria-label="Behaviours">
        {BEHAVIOURS.map((b) => {
          const info = BEHAVIOUR_INFO[b];
          return (
            <Button
              key={b}
              className={styles.tap}
              appearance="secondary"
              aria-keyshortcuts={info.key}
              aria-describedby={`${ids}-${b}`}
              onClick={() => onTap(b)}
            >
              <span className={styles.tapHead}>
                <span className={styles.tapLabel}>{info.label}</span>
                <kbd className={styles.key} aria-hidden="true">
                  {info.key.toUpperCase()}
                </kbd>
              </span>
              <span className={styles.cue} id={`${ids}-${b}`} aria-hidden="true">
                {info.cue}
              </span>
            </Button>
          );
        })}
      </div>
      <div className={styles.undoRow}>
        <Button
          className={styles.undo}
          aria-keyshortcuts={UNDO_KEY}
          disabled={undoable === null}
          onClick={onUndo}
        >
          {undoable ? `Undo last (${BEHAVIOUR_INFO[undoable].label})` : 'Undo last'}
        </Button>
        <Text role="status" aria-live="polite" aria-atomic="true">
          {lastAction}
        </Text>
      </div>
      {waiting > 0 && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>{`${plural(waiting, 'tap')} waiting to send`}</MessageBarTitle>
            They are kept on this device and sent in order when the connection is back.
          </MessageBarBody>
        </MessageBar>
      )}
    </section>
  );
}
