import { EventEmitter } from 'node:events';

type Listener<T> = (payload: T) => void;

/**
 * A typed emitter. A listener that throws is reported to onListenerError and does
 * not stop the other listeners, nor the socket read loop that emitted the event.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly inner = new EventEmitter();

  constructor(private readonly onListenerError: (error: unknown, event: string) => void = () => {}) {
    this.inner.setMaxListeners(0);
  }

  on<E extends keyof Events & string>(event: E, listener: Listener<Events[E]>): () => void {
    this.inner.on(event, listener as Listener<unknown>);
    return () => this.off(event, listener);
  }

  once<E extends keyof Events & string>(event: E, listener: Listener<Events[E]>): () => void {
    this.inner.once(event, listener as Listener<unknown>);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events & string>(event: E, listener: Listener<Events[E]>): void {
    this.inner.off(event, listener as Listener<unknown>);
  }

  protected emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    for (const listener of this.inner.listeners(event)) {
      try {
        (listener as Listener<Events[E]>)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
