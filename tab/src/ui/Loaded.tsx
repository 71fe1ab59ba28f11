import type { ReactNode } from 'react';
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';
import type { Load } from '../app/load';
import { LoadingBlock } from './CenteredStatus';

/** The loading and error states of a page or section; renders `children` once the data is there. */
export function Loaded<T>({
  load,
  loading,
  failed,
  onRetry,
  inline = false,
  spinnerClassName,
  children,
}: {
  load: Load<T>;
  /** The spinner's label, e.g. "Loading your programmes…". */
  loading: string;
  /** The error's title, e.g. "Your programmes could not be loaded"; the reason follows it. */
  failed: string;
  /** Offered as "Retry" on the error; left out where retrying cannot help. */
  onRetry?: () => void;
  /** A small spinner in the flow of a section, rather than the page's large centred one. */
  inline?: boolean;
  spinnerClassName?: string;
  children?: (data: T) => ReactNode;
}) {
  if (load.kind === 'loading') {
    return inline ? (
      <Spinner className={spinnerClassName} size="tiny" labelPosition="after" label={loading} />
    ) : (
      <LoadingBlock label={loading} />
    );
  }
  if (load.kind === 'error') {
    return (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{failed}</MessageBarTitle>
          {load.message}
        </MessageBarBody>
        {onRetry && (
          <MessageBarActions>
            <Button onClick={() => onRetry()}>
              <FormattedMessage id="common.retry" />
            </Button>
          </MessageBarActions>
        )}
      </MessageBar>
    );
  }
  return <>{children?.(load.data)}</>;
}
