"""Despliegue: la plantilla de nginx y la topología en una máquina (topologia.py)."""
