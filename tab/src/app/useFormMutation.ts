import { useCallback, useEffect, useRef, useState } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { ApiError, errorMessage, isAbort, reasonOf } from '../api/client';

/** Field errors by the field's name: the API's error path without "body.". */
export type FieldErrors = Record<string, string>;

/** The API's field errors by their path without "body." (two on one path read as one). */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const fields: FieldErrors = {};
  for (const e of error instanceof ApiError ? (error.problem?.errors ?? []) : []) {
    const key = (e.path ?? '').replace(/^body\.?/, '');
    fields[key] = fields[key] ? `${fields[key]} ${e.message}` : e.message;
  }
  return fields;
}

export interface FormMutationOptions<TData, TVariables> {
  /**
   * Sends the write. `signal` is aborted when the form goes away or sends again: pass it on where
   * a write that is no longer wanted may be dropped.
   */
  mutationFn: (variables: TVariables, signal: AbortSignal) => Promise<TData>;
  /** What the answer changes in the query cache: runs even when the form has gone meanwhile. */
  onSaved?: (data: TData, variables: TVariables) => void;
  /** The queries the write made stale, invalidated once it succeeded (not awaited: the form does not wait for them). */
  invalidates?: readonly QueryKey[] | ((data: TData, variables: TVariables) => readonly QueryKey[]);
  /** The form's own reaction (announce, move focus): only while it is on screen, and for its latest send. */
  onSuccess?: (data: TData, variables: TVariables) => void;
  /** Likewise after a failure (never after an abort), with the field errors it now shows. */
  onError?: (error: Error, variables: TVariables, fields: FieldErrors) => void;
  /** The API's refusal as this form's field errors, where its paths are not simply the field names. */
  fieldErrors?: (error: unknown) => FieldErrors;
}

export interface FormMutation<TData, TVariables> {
  /** Sends (aborting a send still under way); field errors are cleared as it starts. */
  send: (variables: TVariables) => void;
  /** Aborts a send under way; nothing is shown for it. */
  abort: () => void;
  /** Forgets the last failure or success and the field errors. */
  reset: () => void;
  busy: boolean;
  /** The last send succeeded (until the next one starts, or a reset). */
  done: boolean;
  /** The last successful send's answer. */
  data: TData | undefined;
  /** What the last send sent, e.g. which row a busy or failed action belongs to. */
  variables: TVariables | undefined;
  /** Why the last send failed; null after a success, an abort or a reset. */
  error: Error | null;
  /** `error` as the client words it, the API's field errors listed after the reason. */
  failure: string | null;
  /** `error`'s reason alone, for forms that show the field errors beside their fields. */
  reason: string | null;
  /** The API's field errors from the last failure, until cleared. */
  fieldErrors: FieldErrors;
  /** Drops the API's word on these fields, e.g. once they are changed. */
  clearFieldErrors: (...names: string[]) => void;
}

interface Sent<TVariables> {
  variables: TVariables;
  signal: AbortSignal;
}

/**
 * A form's write as a TanStack mutation: the pending state, the failure and the API's field errors
 * for the form to show, an abort when the form goes away or sends again, and the cache changes
 * (set data, invalidate) that follow a success. Cache changes are the mutation's own; the form's
 * reactions are the send's, so none runs for a form no longer on screen or a send it replaced.
 */
export function useFormMutation<TData, TVariables = void>(options: FormMutationOptions<TData, TVariables>): FormMutation<TData, TVariables> {
  const client = useQueryClient();
  const controller = useRef<AbortController | null>(null);
  const latest = useRef(options);
  latest.current = options;
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  useEffect(() => () => controller.current?.abort(), []);

  const mutation = useMutation({
    mutationFn: ({ variables, signal }: Sent<TVariables>) => latest.current.mutationFn(variables, signal),
    onSuccess: (data, { variables }) => {
      const { onSaved, invalidates = [] } = latest.current;
      onSaved?.(data, variables);
      for (const queryKey of typeof invalidates === 'function' ? invalidates(data, variables) : invalidates) {
        void client.invalidateQueries({ queryKey });
      }
    },
  });
  const { mutate, reset: resetMutation } = mutation;

  const send = useCallback(
    (variables: TVariables) => {
      controller.current?.abort();
      const current = new AbortController();
      controller.current = current;
      setFieldErrors({});
      const { onSuccess, onError, fieldErrors: placed = fieldErrorsOf } = latest.current;
      mutate(
        { variables, signal: current.signal },
        {
          onSuccess: (data) => onSuccess?.(data, variables),
          onError: (error) => {
            if (isAbort(error) || current.signal.aborted) return;
            const fields = placed(error);
            setFieldErrors(fields);
            onError?.(error, variables, fields);
          },
        },
      );
    },
    [mutate],
  );
  const abort = useCallback(() => controller.current?.abort(), []);
  const reset = useCallback(() => {
    resetMutation();
    setFieldErrors({});
  }, [resetMutation]);
  const clearFieldErrors = useCallback(
    (...names: string[]) =>
      setFieldErrors((current) => (names.some((name) => name in current) ? Object.fromEntries(Object.entries(current).filter(([name]) => !names.includes(name))) : current)),
    [],
  );

  const error = mutation.error && !isAbort(mutation.error) && !mutation.variables?.signal.aborted ? mutation.error : null;
  return {
    send,
    abort,
    reset,
    busy: mutation.isPending,
    done: mutation.isSuccess,
    data: mutation.data,
    variables: mutation.variables?.variables,
    error,
    failure: error && errorMessage(error),
    reason: error && reasonOf(error),
    fieldErrors,
    clearFieldErrors,
  };
}
