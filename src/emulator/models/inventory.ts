/**
 * The numbers Twilio has for sale (`AvailablePhoneNumbers/{Country}/Local`).
 *
 * The inventory is deterministic so tests can name numbers in advance: every valid US/CA area code
 * holds `numbersPerAreaCode` numbers (default 20), `+1 <area code> 555 0100`, `…0101`, … (the
 * 555-01XX block is reserved for fiction, so no emulator number is anybody's real phone). A number
 * leaves the inventory for good when it is bought, seeded into the account, or released: Twilio
 * does not sell a released number back, so the emulator does not either, and an area code whose
 * numbers are all gone searches empty (and buying by that area code is error 21452).
 */
import { countryOfAreaCode, isValidAreaCode } from "./nanp";

export interface NumberCapabilities {
  voice: boolean;
  sms: boolean;
  mms: boolean;
  fax: boolean;
}

/** One number for sale, with the locality facts Twilio returns for it. */
export interface AvailableNumber {
  phoneNumber: string;
  isoCountry: "US" | "CA";
  areaCode: string;
  locality: string | null;
  region: string | null;
  rateCenter: string | null;
  postalCode: string | null;
  lata: string | null;
  latitude: number | null;
  longitude: number | null;
  capabilities: NumberCapabilities;
}

export interface SearchFilters {
  areaCode?: string;
  contains?: string;
  smsEnabled?: boolean;
  mmsEnabled?: boolean;
  voiceEnabled?: boolean;
  faxEnabled?: boolean;
  inRegion?: string;
  inPostalCode?: string;
  inLocality?: string;
  limit: number;
}

interface Locality {
  locality: string;
  region: string;
  postalCode: string;
  lata: string | null;
  latitude: number;
  longitude: number;
}

/** Locality facts for a few well-known area codes; other area codes report null locality. */
const LOCALITIES: Record<string, Locality> = {
  "206": {
    locality: "Seattle",
    region: "WA",
    postalCode: "98101",
    lata: "674",
    latitude: 47.61,
    longitude: -122.33,
  },
  "212": {
    locality: "New York",
    region: "NY",
    postalCode: "10001",
    lata: "132",
    latitude: 40.75,
    longitude: -73.99,
  },
  "312": {
    locality: "Chicago",
    region: "IL",
    postalCode: "60601",
    lata: "358",
    latitude: 41.88,
    longitude: -87.62,
  },
  "415": {
    locality: "San Francisco",
    region: "CA",
    postalCode: "94103",
    lata: "722",
    latitude: 37.77,
    longitude: -122.41,
  },
  "416": {
    locality: "Toronto",
    region: "ON",
    postalCode: "M5H",
    lata: null,
    latitude: 43.65,
    longitude: -79.38,
  },
  "512": {
    locality: "Austin",
    region: "TX",
    postalCode: "78701",
    lata: "558",
    latitude: 30.27,
    longitude: -97.74,
  },
  "514": {
    locality: "Montreal",
    region: "QC",
    postalCode: "H2X",
    lata: null,
    latitude: 45.5,
    longitude: -73.57,
  },
  "604": {
    locality: "Vancouver",
    region: "BC",
    postalCode: "V6B",
    lata: null,
    latitude: 49.28,
    longitude: -123.12,
  },
  "617": {
    locality: "Boston",
    region: "MA",
    postalCode: "02108",
    lata: "128",
    latitude: 42.36,
    longitude: -71.06,
  },
};

/** Area codes searched when a search names none (Twilio then offers numbers from anywhere). */
const DEFAULT_AREA_CODES: Record<"US" | "CA", string[]> = {
  US: ["415", "212", "312", "206", "617", "512"],
  CA: ["514", "416", "604"],
};

const KEYPAD: Record<string, string> = {
  a: "2",
  b: "2",
  c: "2",
  d: "3",
  e: "3",
  f: "3",
  g: "4",
  h: "4",
  i: "4",
  j: "5",
  k: "5",
  l: "5",
  m: "6",
  n: "6",
  o: "6",
  p: "7",
  q: "7",
  r: "7",
  s: "7",
  t: "8",
  u: "8",
  v: "8",
  w: "9",
  x: "9",
  y: "9",
  z: "9",
};

/**
 * Twilio's `Contains` pattern: digits, `*` for any one digit, letters for their keypad digit;
 * matched anywhere in the number's digits (country code included).
 */
export function containsMatcher(pattern: string): (e164: string) => boolean {
  const digits = pattern
    .replace(/^\+/, "")
    .toLowerCase()
    .split("")
    .map((ch) => KEYPAD[ch] ?? ch)
    .join("");
  const source = digits.replace(/[^0-9*]/g, "").replace(/\*/g, "\\d");
  const regex = new RegExp(source);
  return (e164) => regex.test(e164.replace(/^\+/, ""));
}

export class Inventory {
  /** Numbers that have left the inventory (bought, seeded or released): never offered again. */
  private readonly gone = new Set<string>();

  constructor(readonly numbersPerAreaCode = 20) {}

  /** The numbers an area code was stocked with, sold or not. */
  stockOf(areaCode: string): AvailableNumber[] {
    if (!isValidAreaCode(areaCode)) return [];
    const locality = LOCALITIES[areaCode];
    const isoCountry = countryOfAreaCode(areaCode);
    const stock: AvailableNumber[] = [];
    for (let i = 0; i < this.numbersPerAreaCode; i++) {
      const line = String(100 + i).padStart(4, "0");
      stock.push({
        phoneNumber: `+1${areaCode}555${line}`,
        isoCountry,
        areaCode,
        locality: locality?.locality ?? null,
        region: locality?.region ?? null,
        rateCenter: locality ? locality.locality.toUpperCase().replace(/ /g, "") : null,
        postalCode: locality?.postalCode ?? null,
        lata: locality?.lata ?? null,
        latitude: locality?.latitude ?? null,
        longitude: locality?.longitude ?? null,
        capabilities: { voice: true, sms: true, mms: true, fax: false },
      });
    }
    return stock;
  }

  /** The stocked entry for a number, whether or not it is still for sale. */
  lookup(e164: string): AvailableNumber | undefined {
    const match = /^\+1(\d{3})555(\d{4})$/.exec(e164);
    if (!match) return undefined;
    const [, areaCode = "", line = ""] = match;
    const index = Number(line) - 100;
    if (index < 0 || index >= this.numbersPerAreaCode) return undefined;
    return this.stockOf(areaCode)[index];
  }

  isAvailable(e164: string): boolean {
    return this.lookup(e164) !== undefined && !this.gone.has(e164);
  }

  /** The numbers still for sale in an area code, in stock order. */
  availableIn(areaCode: string): AvailableNumber[] {
    return this.stockOf(areaCode).filter((n) => !this.gone.has(n.phoneNumber));
  }

  /** Takes a number out of the inventory for good (bought, seeded or released). */
  remove(e164: string): void {
    this.gone.add(e164);
  }

  search(country: string, filters: SearchFilters): AvailableNumber[] {
    if (country !== "US" && country !== "CA") return [];
    const areaCodes =
      filters.areaCode !== undefined
        ? [filters.areaCode]
        : this.defaultAreaCodes(country, filters.contains);
    const contains = filters.contains !== undefined ? containsMatcher(filters.contains) : undefined;
    const found: AvailableNumber[] = [];
    for (const areaCode of areaCodes) {
      if (!isValidAreaCode(areaCode) || countryOfAreaCode(areaCode) !== country) continue;
      for (const n of this.availableIn(areaCode)) {
        if (contains && !contains(n.phoneNumber)) continue;
        if (!capabilityMatches(n.capabilities, filters)) continue;
        if (filters.inRegion !== undefined && n.region !== filters.inRegion) continue;
        if (filters.inPostalCode !== undefined && n.postalCode !== filters.inPostalCode) continue;
        if (filters.inLocality !== undefined && n.locality !== filters.inLocality) continue;
        found.push(n);
        if (found.length >= filters.limit) return found;
      }
    }
    return found;
  }

  /** Area codes to search when none is named: one spelled at the start of `Contains`, then defaults. */
  private defaultAreaCodes(country: "US" | "CA", contains: string | undefined): string[] {
    const codes = [...DEFAULT_AREA_CODES[country]];
    const leading = contains === undefined ? undefined : /^\+?1?([2-9]\d\d)/.exec(contains)?.[1];
    if (leading !== undefined && !codes.includes(leading)) codes.unshift(leading);
    return codes;
  }

  snapshot(): string[] {
    return [...this.gone].sort();
  }

  restore(gone: readonly string[]): void {
    this.gone.clear();
    for (const n of gone) this.gone.add(n);
  }
}

function capabilityMatches(capabilities: NumberCapabilities, filters: SearchFilters): boolean {
  const wanted: [boolean | undefined, boolean][] = [
    [filters.smsEnabled, capabilities.sms],
    [filters.mmsEnabled, capabilities.mms],
    [filters.voiceEnabled, capabilities.voice],
    [filters.faxEnabled, capabilities.fax],
  ];
  return wanted.every(([want, has]) => want === undefined || want === has);
}
