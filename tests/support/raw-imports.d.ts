// Vite serves any file as a string with `?raw` (tests read the README that way inside workerd).
declare module "*?raw" {
  const text: string;
  export default text;
}
