import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react';
import {
  Button,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
} from '@fluentui/react-components';

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
          <MessageBarTitle>This page could not be shown</MessageBarTitle>
          Coaching Pilots may have been updated. Reload to get the latest version.
        </MessageBarBody>
        <MessageBarActions>
          <Button onClick={() => window.location.reload()}>Reload</Button>
        </MessageBarActions>
      </MessageBar>
    );
    return Frame ? <Frame>{message}</Frame> : message;
  }
}
