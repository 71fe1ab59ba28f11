import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';
import { FormattedMessage } from 'react-intl';

interface State {
  error: Error | null;
}

/** Shows a readable error instead of an empty page when rendering (or loading a chunk) fails. */
export class ErrorBoundary extends Component<
  {
    children: ReactNode;
    /** Wraps the error message when the boundary stands in for a whole screen. */
    frame?: ComponentType<{ children: ReactNode }>;
  },
  State
> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Page failed to render', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    const Frame = this.props.frame;
    const message = (
      <MessageBar intent="error" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>
            <FormattedMessage id="error.page.title" />
          </MessageBarTitle>
          <FormattedMessage id="error.page.body" />
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => window.location.reload()}>
            <FormattedMessage id="error.page.reload" />
          </Button>
        </MessageBarActions>
      </MessageBar>
    );
    return Frame ? <Frame>{message}</Frame> : message;
  }
}
