import { Layout } from "./layout.js";

/** The dashboard's 404: a page a person can read and leave, not the API's JSON error. */
export function NotFoundPage(props: { what: string }) {
  return (
    <Layout title="Not found">
      <p>{props.what}</p>
      <p>
        Back to the <a href="/">hosted agents</a> or the <a href="/matrix">interop matrix</a>.
      </p>
    </Layout>
  );
}
