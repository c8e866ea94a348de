"""Capturas de las vistas del aprendiz (issue 3) con Playwright y el Chromium de Debian.

Uso, con la demo corriendo (crear_demo + runserver):
    .venv/bin/python tests/bench/capturas.py [URL_BASE]

URL_BASE por defecto es http://policias.localhost:8002. Ingresa como `funcionario`,
recorre portada → primera ruta → «¿Qué es la trata de personas?» → se inscribe (si no lo
estaba) → primera lección → Mis cursos, y guarda las capturas en docs/screenshots/.
Además imprime, por página, el orden de encabezados, los controles sin etiqueta, las
imágenes sin alt y si hay desborde horizontal: una revisión de accesibilidad a ojo, no
un reemplazo de axe.

Requiere `apt-get install chromium` y `pip install playwright` (sin `playwright
install`: se usa /usr/bin/chromium).
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

RAIZ = Path(__file__).resolve().parents[2]
SALIDA = RAIZ / "docs" / "screenshots"
USUARIO = "funcionario"
CLAVE = "capacita-demo-2026"
CURSO = "¿Qué es la trata de personas?"
MOVIL = {"width": 360, "height": 780}
ESCRITORIO = {"width": 1280, "height": 900}
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # Chromium ya resuelve *.localhost a 127.0.0.1; esto lo asegura en cualquier red.
    "--host-resolver-rules=MAP *.localhost 127.0.0.1",
]

REVISAR_JS = """
() => {
  const raiz = document.documentElement;
  const visible = (el) =>
    !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const encabezados = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .filter(visible)
    .map((h) => h.tagName + ' ' + h.textContent.trim().slice(0, 50));
  const etiquetado = (el) =>
    el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
    || (el.id && document.querySelector(`label[for="${el.id}"]`))
    || el.closest('label');
  const sinEtiqueta = [...document.querySelectorAll('input,select,textarea,button')]
    .filter((el) => el.type !== 'hidden' && visible(el))
    .filter((el) => el.tagName === 'BUTTON' ? !el.textContent.trim() : !etiquetado(el))
    .map((el) => el.outerHTML.slice(0, 80));
  const sinAlt = [...document.images]
    .filter((i) => !i.hasAttribute('alt')).map((i) => i.src);
  const desborde = raiz.scrollWidth - raiz.clientWidth;
  const anchos = [...document.querySelectorAll('body *')].filter(visible)
    .filter((el) => el.getBoundingClientRect().right > raiz.clientWidth + 1)
    .slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className);
  return {encabezados, sinEtiqueta, sinAlt, desborde, anchos,
          lang: raiz.lang, titulo: document.title};
}
"""


def revisar(page: Page, nombre: str) -> None:
    r = page.evaluate(REVISAR_JS)
    print(f"\n[{nombre}] {page.url}")
    print(f"  <title>: {r['titulo']}  ·  lang={r['lang']}")
    print("  encabezados: " + " | ".join(r["encabezados"]))
    if r["sinEtiqueta"]:
        print("  controles sin etiqueta: " + "; ".join(r["sinEtiqueta"]))
    if r["sinAlt"]:
        print("  imágenes sin alt: " + ", ".join(r["sinAlt"]))
    if r["desborde"] > 0:
        print(f"  DESBORDE horizontal de {r['desborde']} px: " + ", ".join(r["anchos"]))


def achicar(ruta: Path) -> None:
    """Paleta de 256 colores: el texto se ve igual y el PNG pesa un tercio."""
    from PIL import Image

    original = ruta.stat().st_size
    with Image.open(ruta) as imagen:
        reducida = imagen.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    temporal = ruta.with_suffix(".tmp.png")
    reducida.save(temporal, optimize=True)
    if temporal.stat().st_size < original:
        temporal.replace(ruta)
    else:
        temporal.unlink()


def capturar(page: Page, archivo: str, *, full_page: bool = False) -> None:
    ruta = SALIDA / archivo
    page.screenshot(path=str(ruta), full_page=full_page)
    achicar(ruta)
    print(f"  → {ruta.relative_to(RAIZ)} ({ruta.stat().st_size / 1024:.0f} KB)")


def ingresar(page: Page, base: str) -> None:
    page.goto(f"{base}/ingresar/")
    page.get_by_label("Usuario").fill(USUARIO)
    page.get_by_label("Contraseña").fill(CLAVE)
    page.get_by_role("button", name="Ingresar").click()
    page.wait_for_load_state()
    if "/ingresar/" in page.url:
        raise SystemExit(f"No se pudo ingresar como {USUARIO} en {base}")


def main() -> None:
    base = (
        sys.argv[1] if len(sys.argv) > 1 else "http://policias.localhost:8002"
    ).rstrip("/")
    SALIDA.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        movil = navegador.new_context(
            viewport=MOVIL,
            device_scale_factor=1,
            is_mobile=True,
            has_touch=True,
            locale="es-CL",
        )
        page = movil.new_page()
        ingresar(page, base)

        page.goto(f"{base}/")
        revisar(page, "portada")
        capturar(page, "cursos-portada-movil.png")

        # El curso base está en la ruta «Formación común», que no siempre es la
        # primera de la portada: se recorren las rutas hasta encontrarlo.
        rutas = [
            a.get_attribute("href") for a in page.locator(".tarjeta__titulo a").all()
        ]
        for n, href in enumerate(rutas, 1):
            page.goto(base + href)
            enlace = page.get_by_role("link", name=CURSO)
            if enlace.count():
                print(f"  «{CURSO}» está en la ruta {n} de la portada: {href}")
                revisar(page, "ruta")
                enlace.click()
                page.wait_for_load_state()
                break
        else:
            raise SystemExit(f"Ninguna ruta de la portada enlaza «{CURSO}»")
        inscribir = page.get_by_role("button", name="Inscribirme en este curso")
        if inscribir.count():
            inscribir.click()
            page.wait_for_load_state()
        else:
            print("  (ya estaba inscrito: se captura el curso tal cual)")
        revisar(page, "curso")
        capturar(page, "cursos-curso-movil.png")

        comenzar = page.locator(".panel a.boton").first
        url_leccion = comenzar.get_attribute("href")
        if not url_leccion:
            raise SystemExit("El curso no muestra «Comenzar el curso» tras inscribirse")

        escritorio = navegador.new_context(
            viewport=ESCRITORIO,
            device_scale_factor=1,
            locale="es-CL",
            storage_state=movil.storage_state(),
        )
        page_e = escritorio.new_page()
        page_e.goto(base + url_leccion if url_leccion.startswith("/") else url_leccion)
        revisar(page_e, "lección")
        capturar(page_e, "cursos-leccion-escritorio.png", full_page=True)
        escritorio.close()

        page.goto(f"{base}/mis-cursos/")
        revisar(page, "mis cursos")
        capturar(page, "cursos-mis-cursos-movil.png")
        movil.close()
        navegador.close()


if __name__ == "__main__":
    main()
