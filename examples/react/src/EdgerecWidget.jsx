// <EdgerecWidget widget="upsell" product={id} />: the <edgerec-widget> web component as a React
// component. Props become the element's attributes (React re-renders the element when they
// change, and the element re-renders its list); the element's events become callbacks.
import { useEffect, useRef } from "react";
import "edgerec/widget";

const EVENTS = { onRender: "edgerec-render", onSelect: "edgerec-select", onAddToCart: "edgerec-add-to-cart" };

/**
 * @param {object} props
 * @param {string} props.widget            the widget name (upsell, cross_sell, previously_viewed, …)
 * @param {string} [props.product]         the product on the page
 * @param {number} [props.limit]           at most this many items (1 to 100)
 * @param {string} [props.snapshot]        the snapshot URL (default /data/model.snap)
 * @param {string} [props.sessionKey]      the session's localStorage key (default edgerec:session)
 * @param {string} [props.heading]         replaces the widget's title
 * @param {string} [props.currency]        ISO 4217 code (default USD)
 * @param {boolean} [props.cartButton]     an "Add to cart" button on every card
 * @param {(e: CustomEvent) => void} [props.onRender]     after every render: e.detail.items
 * @param {(e: CustomEvent) => void} [props.onSelect]     a card's link was clicked
 * @param {(e: CustomEvent) => void} [props.onAddToCart] "Add to cart": e.preventDefault() to use your own cart
 */
export function EdgerecWidget({ widget, product, limit, snapshot, sessionKey, heading, currency, cartButton, ...rest }) {
  const ref = useRef(null);
  const handlers = useRef({});
  handlers.current = rest;

  // One listener per event for the element's lifetime; it calls the latest callback prop.
  useEffect(() => {
    const element = ref.current;
    const listeners = Object.entries(EVENTS).map(([prop, type]) => {
      const listener = (event) => handlers.current[prop]?.(event);
      element.addEventListener(type, listener);
      return [type, listener];
    });
    return () => listeners.forEach(([type, listener]) => element.removeEventListener(type, listener));
  }, []);

  const attributes = Object.fromEntries(Object.entries(rest).filter(([key]) => !(key in EVENTS)));
  return (
    <edgerec-widget
      ref={ref}
      widget={widget}
      product={product || undefined}
      limit={limit === undefined ? undefined : String(limit)}
      snapshot={snapshot}
      session-key={sessionKey}
      heading={heading}
      currency={currency}
      cart-button={cartButton ? "" : undefined}
      {...attributes}
    />
  );
}
