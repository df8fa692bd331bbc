import { StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { EdgerecWidget } from "./EdgerecWidget.jsx";

const PRODUCTS = ["P00001", "P00003", "P00004"];

function ProductPage() {
  const [product, setProduct] = useState(PRODUCTS[0]);
  const [shown, setShown] = useState([]);
  return (
    <main>
      <h1>Product {product}</h1>
      <nav>
        {PRODUCTS.map((id) => (
          <button key={id} type="button" aria-pressed={id === product} onClick={() => setProduct(id)}>
            {id}
          </button>
        ))}
      </nav>
      <EdgerecWidget
        widget="upsell"
        product={product}
        limit={4}
        onRender={(e) => setShown(e.detail.items.map((item) => item.id))}
        onSelect={(e) => console.info("recommendation clicked", e.detail)}
      />
      <EdgerecWidget widget="cross_sell" product={product} limit={4} cartButton />
      <p id="shown">Upsell shows: {shown.join(", ")}</p>
    </main>
  );
}

createRoot(document.getElementById("root")).render(
  <StrictMode>
    <ProductPage />
  </StrictMode>,
);
