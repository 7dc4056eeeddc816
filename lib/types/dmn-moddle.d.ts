// dmn-moddle ships no type declarations; the parts the engine's DMN parser uses.
declare module 'dmn-moddle' {
  export interface ParseWarning {
    message: string;
    element?: { id?: string; $type?: string };
    error?: { message?: string };
  }
  export class DmnModdle {
    constructor(packages?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string): Promise<{ rootElement: unknown; warnings: ParseWarning[] }>;
  }
}
