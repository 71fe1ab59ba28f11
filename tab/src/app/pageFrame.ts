import { makeStaticStyles, makeStyles, tokens } from '@fluentui/react-components';

const useGlobalStyles = makeStaticStyles({
  body: { margin: 0 },
});

const useStyles = makeStyles({
  // On an inner element: FluentProvider copies its own className onto portal mount nodes
  // (dialogs), where a full-height background would paint over the page.
  page: {
    minHeight: '100vh',
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
  },
});

/** The class of the element inside FluentProvider that paints the whole page (the app's and the public pages'). */
export function usePageFrame(): string {
  useGlobalStyles();
  return useStyles().page;
}
